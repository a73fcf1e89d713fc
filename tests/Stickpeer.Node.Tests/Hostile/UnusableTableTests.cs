// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Tests.Diagnostics;
using Stickpeer.Node.Tests.Transport;
using Stickpeer.Protocol.Wire;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>
/// A DEFINE whose key size or array length is beyond the protocol's limits, sent over a socket by
/// peer "b": the table is ignored for the session as HAProxy does (nothing on the wire, its updates
/// are not acknowledged), the log says so naming the peer, the table and the reason (event 2142),
/// <c>stickpeer.peer.tables_ignored{reason}</c> counts it, and the session goes on serving a usable
/// table.
/// </summary>
public sealed class UnusableTableTests
{
    [Theory]
    [InlineData("key size", "invalid_key_size")]
    [InlineData("array length", "invalid_array_length")]
    public async Task UnusableDefine_IgnoredNotAcked_LogLine_Metric_SessionKeepsServing(string what, string reason)
    {
        var ports = FreePort.GetMany(2);
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var a = MetricsNode.Start("a", Config(ports), loggers: loggers);
        var ct = TestContext.Current.CancellationToken;
        using var peer = await RawPeer.ConnectAsync(ports[0], ct);
        await peer.EndLessonAsync(ct);

        // Table 1: unusable, with an update. Table 2: our "web", with an update.
        var w = new ArrayBufferWriter<byte>();
        w.Write(UnusableDefine(what));
        w.Write(WireLimitTests.UpdateWithDictionaryId(1, "ignored", 1)); // an update is for the current table
        PeerMessageWriter.WriteDefine(w, 2, WireLimitTests.Web);
        w.Write(WireLimitTests.UpdateWithDictionaryId(1, "kept", 1));
        await peer.Socket.SendAsync(w.WrittenMemory, ct);

        // a acknowledges table 2's update (ACK: 0A 84, length 5, table 2, id 1) and never table 1's.
        await peer.WaitForAsync(r => RawPeer.Contains(r, Hex.Parse("0A 84 05 02 00 00 00 01")), ct);
        Assert.False(RawPeer.Contains(peer.Received, Hex.Parse("0A 84 05 01")), "table 1 was acknowledged: " + Convert.ToHexString([.. peer.Received]));
        await a.WaitUntilAsync(() => a.Tables[0].Count == 1, "the usable table's update was applied");

        var line = await logs.WaitForAsync((id, text) => id.Id == 2142, TimeSpan.FromSeconds(30));
        Assert.Contains("Peer b", line, StringComparison.Ordinal);
        Assert.Contains("'evil'", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(1, ObserveIgnored(a, reason));

        // Still the same session: nothing was closed.
        var snapshot = a.Node.Host.Invoke(() => a.Node.Sections["mesh"].GetSnapshot().Peers[0]);
        Assert.Equal(1, snapshot.SessionsEstablished);
        Assert.Equal(Stickpeer.Protocol.Session.PeerSessionState.Established, snapshot.SessionState);
    }

    /// <summary>A DEFINE of table 1 "evil" whose key size or gpc array length is past the limit.</summary>
    private static byte[] UnusableDefine(string what)
    {
        var payload = new List<byte> { 0x01, 0x04 };
        payload.AddRange("evil"u8.ToArray());
        if (what == "key size")
        {
            payload.Add(0x06); // string key…
            WireBytes.AppendVarint(payload, (ulong)PeerProtocolLimits.MaxKeySize + 1); // …longer than any message
            WireBytes.AppendVarint(payload, 1UL << 2); // gpc0
            WireBytes.AppendVarint(payload, 3_600_000); // expire
        }
        else
        {
            payload.Add(0x06);
            payload.Add(0x20);
            WireBytes.AppendVarint(payload, 1UL << 23); // gpc (an array)
            WireBytes.AppendVarint(payload, 3_600_000);
            payload.Add(23); // its parameter block: type 23…
            WireBytes.AppendVarint(payload, 1000); // …with 1 000 elements (HAProxy's maximum is 100)
        }

        var message = new List<byte> { 0x0A, 0x82 };
        WireBytes.AppendVarint(message, (ulong)payload.Count);
        message.AddRange(payload);
        return [.. message];
    }

    private static string Config(int[] ports) => HostileMesh.Config(ports, store: "gpc0,server_key");

    // Exactly one series for b: the expected reason and no other.
    private static long ObserveIgnored(MetricsNode node, string reason)
    {
        var series = node.Series("stickpeer.peer.tables_ignored").Where(m => Equals(m.Tags["peer"], "b")).ToList();
        Assert.True(series.Count == 1, $"{series.Count} series: " + string.Join(", ", series.Select(m => m.Tags["reason"])));
        Assert.Equal(reason, series[0].Tags["reason"]);
        return series[0].Value;
    }
}
