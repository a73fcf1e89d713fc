// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Daemon.Hosting;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.TestKit;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>The limits on what peers control, as lines of the settings file.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public async Task EveryLimitKey_ReachesThePeerNodeOptions()
    {
        await using var scope = new TestScope("sp-limits");
        var path = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(path, """
            max-updates-per-second 1000   # per session
            update-burst 5000
            max-unacked-updates 0
            max-tables-per-session 8
            max-message-size 4096
            max-pending-connections 32
            max-pending-connections-per-address 4
            """, TestContext.Current.CancellationToken);

        var options = StickpeerSettings.Load(path).Limits.Apply(new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["b"] });

        Assert.Equal(1000, options.MaxUpdatesPerSecond);
        Assert.Equal(5000, options.UpdateBurst);
        Assert.Equal(0, options.MaxUnackedUpdates);
        Assert.Equal(8, options.MaxTablesPerSession);
        Assert.Equal(4096, options.MaxPayload);
        Assert.Equal(32, options.MaxPendingInbound);
        Assert.Equal(4, options.MaxPendingInboundPerAddress);
    }

    [Fact]
    public void NoLimitLines_DefaultsKept()
    {
        var defaults = new PeerNodeOptions { LocalPeerName = "a", RemotePeers = ["b"] };

        Assert.Equal(defaults, PeerLimits.Default.Apply(defaults));
        Assert.Equal(200_000, defaults.MaxUpdatesPerSecond);
        Assert.Equal(100_000, defaults.MaxUnackedUpdates);
    }

    [Theory]
    [InlineData("max-updates-per-second -1", "'max-updates-per-second' expects one whole number from 0")]
    [InlineData("update-burst 0", "'update-burst' expects one whole number from 1")]
    [InlineData("max-message-size 100", "'max-message-size' expects one whole number from 1024")]
    [InlineData("max-tables-per-session 4 5", "'max-tables-per-session' expects one whole number")]
    [InlineData("max-unacked-updates lots", "'max-unacked-updates' expects one whole number")]
    [InlineData("max-update-per-second 5", "unknown setting 'max-update-per-second'")]
    public async Task BadLimitLine_ErrorNamesFileAndLine(string line, string message)
    {
        await using var scope = new TestScope("sp-limits");
        var path = Path.Combine(scope.Directory, "stickpeer.settings");
        await File.WriteAllTextAsync(path, "# limits\n" + line + "\n", TestContext.Current.CancellationToken);

        var error = Assert.Throws<ConfigurationException>(() => StickpeerSettings.Load(path));

        Assert.StartsWith(path + ":2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
