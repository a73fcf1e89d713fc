// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;
using Stickpeer.Daemon.Hosting;
using Stickpeer.TestKit;

namespace Stickpeer.Node.Tests.Packaging;

/// <summary>eng/systemd/stickpeer.service passes <c>systemd-analyze verify</c> with no remark, and sd_notify datagrams reach the socket systemd names.</summary>
public sealed class SystemdTests
{
    [Fact]
    public async Task The_unit_file_verifies_cleanly()
    {
        const string analyze = "/usr/bin/systemd-analyze";
        if (!OperatingSystem.IsLinux() || !File.Exists(analyze))
        {
            Assert.Skip("systemd-analyze is not installed (Debian: apt-get install -y systemd)");
        }

        await using var scope = new TestScope("stickpeer-unit-");
        // verify checks that ExecStart's program exists: point it at an executable stub, keep every other line.
        var stub = Path.Combine(scope.Directory, "stickpeer");
        await File.WriteAllTextAsync(stub, "#!/bin/sh\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }

        var unit = Path.Combine(scope.Directory, "stickpeer.service");
        var text = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "eng", "systemd", "stickpeer.service"), TestContext.Current.CancellationToken);
        Assert.Contains("Type=notify", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("/usr/bin/stickpeer", stub, StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (exit, output) = await DotnetCli.RunAsync(analyze, $"verify \"{unit}\"", scope.Directory, null, TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, output);
        // Unknown keys and bad values are only warnings (exit 0): any remark about the unit fails the test.
        Assert.DoesNotContain("stickpeer.service", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_reach_the_notify_socket()
    {
        await using var scope = new TestScope("stickpeer-notify-");
        var path = Path.Combine(scope.Directory, "notify");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));

        Assert.True(new SystemdNotify(path).Send("READY=1\nSTATUS=ok"));

        var buffer = new byte[256];
        var n = await listener.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("READY=1\nSTATUS=ok", Encoding.UTF8.GetString(buffer, 0, n));
        Assert.False(new SystemdNotify(null).Send("READY=1"));
        Assert.False(new SystemdNotify(Path.Combine(scope.Directory, "absent")).Send("READY=1"));
    }
}
