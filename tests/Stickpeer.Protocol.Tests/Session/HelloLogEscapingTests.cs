// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Stickpeer.Protocol.Session;
using static Stickpeer.Protocol.Tests.Session.SessionTestKit;

namespace Stickpeer.Protocol.Tests.Session;

/// <summary>Hello lines are written by whoever connects: they reach the log escaped, never raw.</summary>
public sealed class HelloLogEscapingTests
{
    [Fact]
    public void RejectedHello_LogsTheSenderEscaped()
    {
        var logger = new FakeLogger();
        var session = new PeerSession(
            PeerSessionRole.Acceptor, new PeerSessionOptions { LocalPeerName = "b", ProcessId = 43 }, new RecordingSessionHandler(), NewClock(), logger);

        // Wrong target name, and a sender name holding ESC, CR, LF-free control bytes and a NUL.
        var hello = Encoding.Latin1.GetBytes("HAProxyS 2.1\nnot-b\nev\u001b[2K\rINFO\u0000forged\u00ff 43 1\n");
        session.Start();
        Feed(session, hello);

        Assert.Equal(SessionCloseReason.HandshakeRejected, session.CloseReason);

        var record = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "SessionHelloRejected");
        Assert.Contains(@"hello from ev\e[2K\rINFO\x00forged\xff rejected with", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', record.Message);
        Assert.DoesNotContain('\r', record.Message);
        Assert.DoesNotContain('\0', record.Message);
    }
}
