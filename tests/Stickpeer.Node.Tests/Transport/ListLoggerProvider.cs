// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>Keeps every log line in memory (thread-safe) so tests can wait for one.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, EventId Id, string Message, LogLevel Level)> _entries = [];

    public IReadOnlyList<(string Category, EventId Id, string Message, LogLevel Level)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    public async Task<string> WaitForAsync(Func<EventId, string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = Entries.FirstOrDefault(e => match(e.Id, e.Message));
            if (hit.Message is not null)
            {
                return hit.Message;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no matching log entry; log was:\n" + string.Join("\n", Entries.Select(e => $"{e.Id.Id} {e.Message}")));
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((category, eventId, formatter(state, exception), logLevel));
            }
        }
    }
}
