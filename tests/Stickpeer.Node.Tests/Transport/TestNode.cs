// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Tests.Transport;

/// <summary>A real node (no tables unless given a factory) on loopback or another transport, built from configuration text, with captured logs.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private TestNode(StickpeerNode node, ListLoggerProvider logs, ILoggerFactory loggers)
    {
        Node = node;
        Logs = logs;
        _loggers = loggers;
    }

    public StickpeerNode Node { get; }

    public ListLoggerProvider Logs { get; }

    public static TestNode Start(
        string localName, string configText, IPeerTransport? transport = null, Func<TableDefinition, IReplicatedTable>? tables = null, Func<PeerNodeOptions, PeerNodeOptions>? tune = null, TimeProvider? time = null)
    {
        var config = Parse(localName, configText);
        var logs = new ListLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var node = StickpeerNode.Create(config, tables ?? (_ => throw new InvalidOperationException("no tables in transport tests")), time ?? TimeProvider.System, loggers, tuneOptions: tune, transport: transport);
        node.Start();
        return new TestNode(node, logs, loggers);
    }

    /// <summary>The configuration as node <paramref name="localName"/> sees it.</summary>
    public static StickpeerConfiguration Parse(string localName, string configText)
    {
        var parser = new ConfigParser(_ => null);
        parser.ParseText("test.cfg", configText);
        return parser.Build(localName, "host");
    }

    public PeerSnapshot Peer(string name) =>
        Node.Host.Invoke(() => Node.Sections.Values.Single().GetSnapshot()).Peers.Single(p => p.Name == name);

    public async Task WaitEstablishedAsync(string peer, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Peer(peer).SessionState == PeerSessionState.Established)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"peer '{peer}' not established; state {Peer(peer).SessionState}, last status {Peer(peer).LastStatusName}; log:\n"
            + string.Join("\n", Logs.Entries.Select(e => $"{e.Id.Id} {e.Message}")));
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        _loggers.Dispose();
    }
}
