// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Stickpeer.Node.Diagnostics;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Session;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Net;
using Stickpeer.TestKit.Tls;
using Stickpeer.TestKit.Transport;

namespace Stickpeer.Node.Tests.Diagnostics;

/// <summary>The instruments after scripted scenarios: a lesson, a collision, a TLS failure.</summary>
public sealed class NodeMetricsTests
{
    private const string InMemoryMesh = InMemoryConfigs.TwoPeersStringTable;

    [Fact]
    public async Task Lesson_LearnerAndTeacher_CountTheLessonAndItsUpdates()
    {
        var network = new InMemoryPeerTransport();
        await using var a = MetricsNode.Start("a", InMemoryMesh, network);
        a.Node.Host.Invoke(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                a.Tables[0].Increment(Encoding.ASCII.GetBytes("user-" + i), StickDataType.Gpc0, 0, 5);
            }

            return 0;
        });
        await using var b = MetricsNode.Start("b", InMemoryMesh, network);
        await b.WaitUntilAsync(() => b.Node.Sections["mesh"].Coordinator.LessonsCompleted >= 1 && b.Tables[0].Count == 3, "b learned the 3 entries");
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].LessonsTaught >= 1, "a counted the lesson it taught");

        // a pushes its local changes and teaches the lesson, so each key may travel twice: wait
        // until b received everything a sent, then every count must agree on both sides.
        long Sent() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].Traffic.UpdatesOut;
        await b.WaitUntilAsync(() => b.Node.Sections["mesh"].GetSnapshot().Peers[0].Traffic.UpdatesIn == a.Node.Host.Invoke(Sent), "b received every update a sent");
        var sent = a.Node.Host.Invoke(Sent);

        Assert.True(sent >= 3, $"{sent} updates sent");
        Assert.Equal(1, Observe(b, "stickpeer.resync.lessons_completed", "section", "mesh"));
        Assert.Equal(sent, Observe(b, "stickpeer.table.updates_learned", "table", "web"));
        Assert.Equal(sent, Observe(b, "stickpeer.peer.updates", "peer", "a", ("direction", "in")));
        Assert.Equal(sent, Observe(a, "stickpeer.peer.updates", "peer", "b", ("direction", "out")));
        Assert.Equal(sent, Observe(a, "stickpeer.table.updates_taught", "table", "web"));
        Assert.Equal(3, Observe(b, "stickpeer.table.used", "table", "web"));
        Assert.Equal(1, Observe(b, "stickpeer.peer.up", "peer", "a"));
        Assert.True(Observe(b, "stickpeer.peer.traffic", "peer", "a", ("direction", "in")) > 0);
        Assert.Equal(1, Observe(a, "stickpeer.peer.lessons_taught", "peer", "b"));

        // The teacher's messages: at least every update plus the lesson's end marker; the learner's
        // include its ACKs and 00 03.
        Assert.True(Observe(a, "stickpeer.peer.messages_sent", "peer", "b") >= sent + 1);
        Assert.True(Observe(b, "stickpeer.peer.messages_sent", "peer", "a") >= 2);
    }

    [Fact]
    public async Task Persistence_ChangesSavedAndSynced_ShowInTheDataDirectoryInstruments()
    {
        await using var scope = new TestScope("sp-pmetrics");
        var options = new PersistenceOptions { DataDirectory = scope.Directory, Fsync = FsyncMode.Always };
        await using var a = MetricsNode.Start("a", InMemoryMesh, new InMemoryPeerTransport(), options);
        a.Node.Host.Invoke(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                a.Tables[0].Increment(Encoding.ASCII.GetBytes("user-" + i), StickDataType.Gpc0, 0, 1);
            }

            return 0;
        });
        await a.Persistence!.WaitDurableAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, ObserveOne(a, "stickpeer.persistence.saving"));
        Assert.Equal(3, Observe(a, "stickpeer.persistence.changes", "stage", "appended"));
        Assert.Equal(3, Observe(a, "stickpeer.persistence.changes", "stage", "synced"));
        Assert.Equal(0, ObserveOne(a, "stickpeer.persistence.pending"));
        Assert.True(ObserveOne(a, "stickpeer.persistence.log_size") > 0);
        using var age = new MetricCollector<double>(a.Meters, NodeMetrics.MeterName, "stickpeer.persistence.last_fsync_age");
        age.RecordObservableInstruments();
        Assert.InRange(Assert.Single(age.GetMeasurementSnapshot()).Value, 0, 60);
    }

    private static long ObserveOne(MetricsNode node, string instrument)
    {
        using var collector = new MetricCollector<long>(node.Meters, NodeMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return Assert.Single(collector.GetMeasurementSnapshot()).Value;
    }

    [Fact]
    public async Task TooManyTableIds_PeerGets0100_AndTheProtocolErrorIsCounted()
    {
        var ports = FreePort.GetMany(2);
        await using var a = MetricsNode.Start("a", LoopbackPair(ports));
        var ct = TestContext.Current.CancellationToken;
        using var peer = await HelloAsync(ports[0], ct);

        // One more distinct table id than a session may define, in one write.
        var defines = new System.Buffers.ArrayBufferWriter<byte>();
        var schema = new TableSchema("t", StickKeyType.String, 32, 60_000, [new DataTypeSpec(StickDataType.Gpc0, 1, 0)]);
        for (var id = 1; id <= Stickpeer.Protocol.Wire.PeerProtocolLimits.DefaultMaxTablesPerSession + 1; id++)
        {
            Stickpeer.Protocol.Wire.PeerMessageWriter.WriteDefine(defines, id, schema);
        }

        await peer.SendAsync(defines.WrittenMemory, ct);
        var received = new List<byte>();
        var buffer = new byte[256];
        for (var i = 0; i < 100; i++)
        {
            var n = await peer.ReceiveAsync(buffer, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            if (n == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        // Heartbeats may come first; the session's last words are the protocol error, then the close.
        Assert.True(received.Count >= 2 && received[^2] == 0x01 && received[^1] == 0x00, "last bytes: " + Convert.ToHexString([.. received.TakeLast(8)]));
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].ProtocolErrors == 1, "the protocol error was counted");
        Assert.Equal(1, Observe(a, "stickpeer.peer.protocol_errors", "peer", "b", ("reason", "protocol_error")));
        Assert.Equal(1, Observe(a, "stickpeer.peer.protocol_errors_by_kind", "peer", "b", ("kind", "too_many_tables")));
    }

    [Fact]
    public async Task Collision_SecondHelloFromTheSamePeer_CountedOnce()
    {
        var ports = FreePort.GetMany(2);
        await using var a = MetricsNode.Start("a", LoopbackPair(ports));
        var ct = TestContext.Current.CancellationToken;

        using var first = await HelloAsync(ports[0], ct);
        using var second = await HelloAsync(ports[0], ct);
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished == 2, "the second session replaced the first");

        // a's own outbound attempt to b (refused, nothing listens there) may also have been
        // replaced by the first hello: at least the second hello's collision, as show peers counts.
        var collisions = a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].Collisions);
        Assert.True(collisions >= 1);
        Assert.Equal(collisions, Observe(a, "stickpeer.peer.collisions", "peer", "b"));
        Assert.Equal(2, Observe(a, "stickpeer.peer.sessions", "peer", "b"));
        Assert.Equal(1, Observe(a, "stickpeer.peer.reconnects", "peer", "b"));
        Assert.Equal(1, Observe(a, "stickpeer.peer.up", "peer", "b"));
        Assert.Equal((long)PeerSessionState.Established, Observe(a, "stickpeer.peer.session_state", "peer", "b"));
        Assert.Equal(200, Observe(a, "stickpeer.peer.last_status", "peer", "b"));
    }

    [Fact]
    public async Task TlsFailure_PlaintextOnTheTlsPort_CountedByReason()
    {
        var dir = Directory.CreateTempSubdirectory("stickpeer-metrics-").FullName;
        try
        {
            using var ca = TestCertificates.CreateAuthority();
            using var leaf = TestCertificates.IssueLeaf(ca, "a");
            var ports = FreePort.GetMany(2);
            var config = $"""
                peers mesh
                    bind 127.0.0.1:{ports[0]} ssl crt {leaf.WriteCombinedPem(dir, "a.pem")} ca-file {ca.WriteCertificatePem(dir, "ca.pem")} verify required
                    server a
                    server b 127.0.0.1:{ports[1]}
                """;
            await using var a = MetricsNode.Start("a", config);
            using var failures = new MetricCollector<long>(a.Meters, TransportMetrics.MeterName, "stickpeer.transport.tls.handshake_failures");
            var ct = TestContext.Current.CancellationToken;

            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ports[0], ct);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), ct);
            await failures.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));

            var m = failures.GetMeasurementSnapshot().First(x => Equals(x.Tags["direction"], "inbound"));
            Assert.Equal(1, m.Value);
            Assert.Equal("mesh", m.Tags["section"]);
            Assert.Equal("plaintext_peers_hello", m.Tags["reason"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Peers a (listening on the first port) and b (nobody listens there), no tables.</summary>
    private static string LoopbackPair(int[] ports) => $"""
        peers mesh
            peer a 127.0.0.1:{ports[0]}
            peer b 127.0.0.1:{ports[1]}
        """;

    /// <summary>Reads one observable instrument now and returns the value of the series with the given tags.</summary>
    private static long Observe(MetricsNode node, string instrument, string tag, string value, params (string Name, string Value)[] more)
    {
        using var collector = new MetricCollector<long>(node.Meters, NodeMetrics.MeterName, instrument);
        node.Metrics.Invalidate();
        collector.RecordObservableInstruments();
        var matches = collector.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags[tag], value) && more.All(t => Equals(m.Tags[t.Name], t.Value)))
            .ToList();
        Assert.True(matches.Count == 1, $"{instrument}{{{tag}={value}}}: {matches.Count} series");
        return matches[0].Value;
    }

    private static async Task<Socket> HelloAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes("HAProxyS 2.1\na\nb 1 1\n"), ct);
        var status = new byte[4];
        var n = await socket.ReceiveAsync(status, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal("200\n", Encoding.ASCII.GetString(status, 0, n));
        return socket;
    }
}
