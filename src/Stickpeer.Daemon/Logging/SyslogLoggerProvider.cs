// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Daemon.Logging;

/// <summary>Honours the <c>log</c> lines of <c>global</c>: every log event also goes to each syslog target.</summary>
public sealed class SyslogLoggerProvider : ILoggerProvider
{
    private readonly List<SyslogSender> _senders;

    public SyslogLoggerProvider(IEnumerable<LogTargetDefinition> targets, TimeProvider time)
    {
        _senders = targets.Select(t => new SyslogSender(t, time)).ToList();
    }

    public ILogger CreateLogger(string categoryName) => new SyslogLogger(_senders, _senders.Count == 0 ? -1 : _senders.Max(s => s.MaxSeverity));

    public void Dispose()
    {
        foreach (var sender in _senders)
        {
            sender.Dispose();
        }
    }

    private sealed class SyslogLogger(List<SyslogSender> senders, int maxSeverity) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Enabled only for what some target sends, so debug events cost nothing when no line asks for them.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && Severity(logLevel) <= maxSeverity;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += ": " + exception.Message;
            }

            var severity = Severity(logLevel);
            foreach (var sender in senders)
            {
                sender.Send(severity, message);
            }
        }

        private static int Severity(LogLevel level) => level switch
        {
            LogLevel.Critical => 2,
            LogLevel.Error => 3,
            LogLevel.Warning => 4,
            LogLevel.Information => 6,
            _ => 7,
        };
    }
}
