// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Model;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// Every limit answered on the wire, hit over a real socket by peer "b" of a started node "a" (the
/// table of docs/security.md): the error message, the log line naming the peer and the cause
/// (event 2004), and <c>stickpeer.peer.protocol_errors_by_kind{kind}</c>. The transport's 1 MiB input
/// buffer ("input buffer": a message that claims more than it holds) is answered as a size limit.
/// </summary>
public sealed class WireLimitTests
{
    internal static readonly TableSchema Web = new("web", StickKeyType.String, 33, 3_600_000, [new DataTypeSpec(StickDataType.Gpc0, 1, 0), new DataTypeSpec(StickDataType.ServerKey, 1, 0)]);

    [Theory]
    [InlineData("message size", "0101", "SizeLimit", "size_limit")]
    [InlineData("frame length varint", "0100", "VarintTooLong", "varint_too_long")]
    [InlineData("dictionary id", "0100", "InvalidDictionaryId", "invalid_dictionary_id")]
    [InlineData("tables per session", "0100", "TooManyTables", "too_many_tables")]
    [InlineData("updates per second", "0100", "UpdateRateLimit", "update_rate_limit")]
    [InlineData("input buffer", "0101", "InputOverflow", "input_overflow")]
    public async Task LimitHit_ErrorOnTheWire_LogLine_Metric_NodeKeepsServing(string limit, string reply, string error, string kind)
    {
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var limits = new PeerLimits { MaxTablesPerSession = 2, MaxUpdatesPerSecond = 1, UpdateBurst = 5 };
        if (limit == "input buffer")
        {
            // A message size above the transport's 1 MiB input buffer: a message may then claim more
            // than the transport holds, and the buffer is the limit that is hit.
            limits = limits with { MaxMessageSize = 2 << 20 };
        }

        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers, limits: limits);
        var ct = TestContext.Current.CancellationToken;
        using var peer = await RawPeer.ConnectAsync(ports[0], ct);
        await peer.EndLessonAsync(ct);

        await peer.Socket.SendAsync(Offence(limit), ct);
        var received = await peer.ReadToEndAsync(ct);

        Assert.True(received.Count >= 2 && Convert.ToHexString([.. received.TakeLast(2)]) == reply, "last bytes: " + Convert.ToHexString([.. received.TakeLast(8)]));
        var line = await logs.WaitForAsync((id, text) => id.Id == 2004 && text.Contains(error, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("(b)", line, StringComparison.Ordinal);
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].ProtocolErrors == 1, "the protocol error was counted");
        Assert.Equal(1, ObserveKind(a, kind));

        // The node keeps serving: the same peer is welcome again at once.
        using var again = await RawPeer.ConnectAsync(ports[0], ct);
        await a.WaitUntilAsync(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0].SessionsEstablished == 2, "the peer's next session is up");
    }

    /// <summary>The bytes that break <paramref name="limit"/> (after a DEFINE of table 1 where one is needed).</summary>
    private static byte[] Offence(string limit)
    {
        var w = new ArrayBufferWriter<byte>();
        switch (limit)
        {
            case "message size":
                var frame = new List<byte> { 0x0A, 0x80 };
                WireBytes.AppendVarint(frame, PeerProtocolLimits.DefaultMaxPayload + 1);
                return [.. frame];
            case "input buffer":
                // Claims 1.5 MiB (under the 2 MiB message size), then sends 1 MiB + 64 KiB of it.
                var claim = new List<byte> { 0x0A, 0x80 };
                WireBytes.AppendVarint(claim, 3 << 19);
                return [.. claim, .. new byte[(1 << 20) + (64 << 10)]];
            case "frame length varint":
                return Hex.Parse("0A 80 F0 80 80 80 80 00");
            case "dictionary id":
                PeerMessageWriter.WriteDefine(w, 1, Web);
                return [.. w.WrittenSpan, .. UpdateWithDictionaryId(1, "evil", 200)];
            case "tables per session":
                for (var id = 1; id <= 3; id++)
                {
                    PeerMessageWriter.WriteDefine(w, id, Web);
                }

                return w.WrittenSpan.ToArray();
            default:
                PeerMessageWriter.WriteDefine(w, 1, Web);
                for (var i = 0; i < 20; i++)
                {
                    w.Write(UpdateWithDictionaryId((uint)(i + 1), "k" + i, 1));
                }

                return w.WrittenSpan.ToArray();
        }
    }

    /// <summary>An update (0x80) of table 1: id, key, gpc0 = 1, server_key as dictionary entry <paramref name="dictionaryId"/> with a value.</summary>
    internal static byte[] UpdateWithDictionaryId(uint updateId, string key, ulong dictionaryId)
    {
        var inner = new List<byte>();
        WireBytes.AppendVarint(inner, dictionaryId);
        WireBytes.AppendVarint(inner, 3);
        inner.AddRange("srv"u8.ToArray());
        var payload = new List<byte> { (byte)(updateId >> 24), (byte)(updateId >> 16), (byte)(updateId >> 8), (byte)updateId, (byte)key.Length };
        payload.AddRange(Encoding.ASCII.GetBytes(key));
        payload.Add(1);
        WireBytes.AppendVarint(payload, (ulong)inner.Count);
        payload.AddRange(inner);
        var message = new List<byte> { 0x0A, 0x80 };
        WireBytes.AppendVarint(message, (ulong)payload.Count);
        message.AddRange(payload);
        return [.. message];
    }

    private static string Config(int[] ports) => HostileMesh.Config(ports, store: "gpc0,server_key");

    // Exactly one series for b: the expected kind and no other.
    private static long ObserveKind(MetricsNode node, string kind)
    {
        var series = node.Series("stickpeer.peer.protocol_errors_by_kind").Where(m => Equals(m.Tags["peer"], "b")).ToList();
        Assert.True(series.Count == 1, $"{series.Count} series: " + string.Join(", ", series.Select(m => m.Tags["kind"])));
        Assert.Equal(kind, series[0].Tags["kind"]);
        return series[0].Value;
    }
}
