// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Node.Transport;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Diagnostics;

/// <summary>Session log lines carry the peer and the connection as a logging scope.</summary>
public sealed class PeerLogScopeTests
{
    [Fact]
    public async Task InboundSession_EstablishedLine_HasThePeerScope()
    {
        var ports = FreePort.GetMany(2);
        var config = TestNode.Parse("a", $"""
            peers mesh
                peer a 127.0.0.1:{ports[0]}
                peer b 127.0.0.1:{ports[1]}
            """);
        var recorder = new ScopeRecorder();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        await using var node = StickpeerNode.Create(config, _ => throw new InvalidOperationException("no tables"), TimeProvider.System, loggers);
        node.Start();
        var ct = TestContext.Current.CancellationToken;

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, ports[0], ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), ct);

        (EventId Id, IReadOnlyList<KeyValuePair<string, object?>> Scope) line = default;
        for (var i = 0; i < 600 && line.Scope is null; i++)
        {
            line = recorder.Lines.FirstOrDefault(l => l.Id.Id == 2108);
            await Task.Delay(50, ct);
        }

        Assert.NotNull(line.Scope);
        Assert.Contains(new KeyValuePair<string, object?>("Peer", "b"), line.Scope);
        Assert.Contains(line.Scope, kv => kv.Key == "Connection" && kv.Value is string c && c.StartsWith('c'));
    }

    /// <summary>Records each line's event id and the key/value pairs of its scopes.</summary>
    private sealed class ScopeRecorder : ILoggerProvider, ISupportExternalScope
    {
        private readonly List<(EventId, IReadOnlyList<KeyValuePair<string, object?>>)> _lines = [];
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<(EventId Id, IReadOnlyList<KeyValuePair<string, object?>> Scope)> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecorder owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var pairs = new List<KeyValuePair<string, object?>>();
                owner._scopes.ForEachScope(
                    (scope, into) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> kvs)
                        {
                            into.AddRange(kvs);
                        }
                    },
                    pairs);
                lock (owner._lines)
                {
                    owner._lines.Add((eventId, pairs));
                }
            }
        }
    }
}
