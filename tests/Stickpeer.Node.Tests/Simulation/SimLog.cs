// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// One process incarnation's loggers, reduced to the contract checks: any error is reported — a
/// node call that threw, a crashed connection or loop (the host), an illegal session transition or
/// a handler that threw, which closes its session on an internal error (the session). Lower levels
/// are disabled: nothing else is formatted.
/// </summary>
internal sealed class SimLog(Action<string> problem) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (logLevel >= LogLevel.Error)
        {
            problem($"logged an error ({eventId.Id}): {formatter(state, exception)}{(exception is null ? "" : " — " + exception)}");
        }
    }

    public void Dispose()
    {
    }
}
