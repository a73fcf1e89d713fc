// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.TestKit.Net;

namespace Stickpeer.Node.Tests.Transport;

public sealed class ListenerStopTests
{
    [Fact]
    public async Task Stop_WithPendingAccept_LogsNoAcceptFailure()
    {
        var node = TestNode.Start("me", $"peers p\n  peer me 127.0.0.1:{FreePort.Get()}\n  peer other 127.0.0.1:{FreePort.Get()}\n");
        await using (node)
        {
            await node.Node.StopAsync(TimeSpan.FromSeconds(5));
        }

        // 4015 AcceptFailed: the accept cancelled by our own stop is not a failure.
        Assert.DoesNotContain(node.Logs.Entries, e => e.Id.Id == 4015);
        Assert.Contains(node.Logs.Entries, e => e.Id.Id == 4012);
    }
}
