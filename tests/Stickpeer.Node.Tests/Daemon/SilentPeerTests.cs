// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text;
using Stickpeer.TestKit;
using Stickpeer.TestKit.Daemon;
using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>Spec §11: a peer that completes the handshake, then never acknowledges, teaches or answers a resync request.</summary>
public sealed class SilentPeerTests
{
    [Fact]
    public async Task PeerThatNeverAcks_UpdatesStillSentOnce_SessionKeptWithoutReconnects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new TestScope("stickpeer-silent-");
        await using var silent = new SilentPeer(answerResync: true);
        var port = FreePort.Get();
        var socket = Path.Combine(scope.Directory, "sp.sock");
        var cfg = Path.Combine(scope.Directory, "sp.cfg");
        await File.WriteAllTextAsync(
            cfg,
            $"global\n    stats socket {socket} level admin\n\npeers mesh\n    peer sp 127.0.0.1:{port}\n    peer quiet 127.0.0.1:{silent.Port}\n    table t type string len 32 size 10k expire 1h store gpc0\n",
            ct);
        await using var sp = DaemonProcess.Start("-f", cfg, "-L", "sp");
        await sp.WaitForCliAsync(socket, TimeSpan.FromSeconds(60), ct);

        var sb = new StringBuilder("prompt\n");
        for (var i = 0; i < 2000; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"set table mesh/t key key{i:D5} data.gpc0 {i}\n");
        }

        await UnixCli.SendAsync(socket, sb.Append("quit\n").ToString(), ct);

        // Every update goes out although none is acknowledged (2 000 updates of at least 12 bytes) ...
        // (waiting until the count has been still for a second: the last batches may be on their way).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var still = 0;
        for (var last = -1L; still < 10 && DateTime.UtcNow < deadline; last = silent.BytesReceived)
        {
            await Task.Delay(100, ct);
            still = silent.BytesReceived == last && last >= 2000 * 12 ? still + 1 : 0;
        }

        Assert.True(silent.BytesReceived >= 2000 * 12, $"{silent.BytesReceived} bytes received");

        // ... and only once: no re-sends while the session lives, which it does past the 5 s dead-peer
        // timeout (the peer's heartbeats count), with no reconnect.
        var sent = silent.BytesReceived;
        await Task.Delay(TimeSpan.FromSeconds(7), ct);
        Assert.InRange(silent.BytesReceived - sent, 0, 64); // heartbeats only (00 04 every 3 s of silence)
        Assert.Equal(1, silent.Hellos);
        var peers = await UnixCli.SendAsync(socket, "show peers", ct);
        Assert.Contains("last_acked=0 last_pushed=2000", peers, StringComparison.Ordinal);
        Assert.Contains("flags=0x3 ", peers, StringComparison.Ordinal); // the empty lesson counted: resync finished
    }
}
