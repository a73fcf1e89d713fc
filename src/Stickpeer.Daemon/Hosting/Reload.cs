// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Configuration;
using Stickpeer.Node.Replication;
using Stickpeer.Node.Transport;
using Stickpeer.Node.Transport.Sockets;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// A reload as HAProxy's <c>-sf &lt;pid&gt;</c> does it. The new process sends the old one the soft-stop
/// signal (SIGUSR1). The old one stops listening (peers ports and stats sockets: Stickpeer never shares
/// them, see docs/operations.md), closes its peer sessions, connects to the new process as the local
/// peer, teaches it every entry and exits. The new one binds as soon as the addresses are free and
/// learns that lesson before asking any remote peer.
/// </summary>
internal static class Reload
{
    /// <summary>SIGUSR1 on Linux: HAProxy's soft-stop signal.</summary>
    public const int SoftStopSignal = 10;

    /// <summary>How long the new process waits for the old one to let go of its addresses.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the old process tries to hand its tables over before it exits without.</summary>
    public static readonly TimeSpan HandoverTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends the soft-stop signal to every old process; one that is gone is only logged.</summary>
    public static void SignalOldProcesses(IReadOnlyList<int> pids, ILogger logger)
    {
        foreach (var pid in pids)
        {
            if (Kill(pid, SoftStopSignal) == 0)
            {
                DaemonLog.SoftStopSent(logger, pid);
            }
            else
            {
                DaemonLog.SoftStopFailed(logger, pid, Marshal.GetLastPInvokeErrorMessage());
            }
        }
    }

    /// <summary>
    /// Waits (bounded) until the old process has released every peers address and stats socket of
    /// <paramref name="configuration"/>. Returns false on time-out; the start then fails on the address.
    /// </summary>
    public static async Task<bool> WaitForReleaseAsync(StickpeerConfiguration configuration, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ReleaseTimeout;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            if (AllReleased(configuration))
            {
                return true;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false; // stopped while waiting: the start fails on the address
            }
        }

        return false;
    }

    /// <summary>
    /// The old process's side: stop listening (stats sockets first, so the new process's socket is never
    /// unlinked by us), hand every section's tables over, and wait (bounded) until each is done or failed.
    /// </summary>
    public static async Task HandOverAsync(StickpeerNode node, List<CliSocketServer> cliServers, ILogger logger, TimeProvider time, CancellationToken abort)
    {
        DaemonLog.HandingOver(logger);
        foreach (var cli in cliServers)
        {
            await cli.DisposeAsync();
        }

        cliServers.Clear();
        await node.Host.StopListeningAsync();
        node.Host.Invoke(() =>
        {
            foreach (var section in node.Sections.Values)
            {
                section.BeginHandover(HandoverTimeout);
            }

            return 0;
        });

        var deadline = time.GetUtcNow() + HandoverTimeout + TimeSpan.FromSeconds(1);
        for (var poll = 0; poll < 10_000 && time.GetUtcNow() < deadline && !abort.IsCancellationRequested; poll++)
        {
            if (node.Host.Invoke(() => node.Sections.Values.All(s => s.Handover is HandoverPhase.Done or HandoverPhase.Failed)))
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, abort);
            }
            catch (OperationCanceledException)
            {
                return; // SIGTERM during the hand-over: stop now
            }
        }
    }

    private static bool AllReleased(StickpeerConfiguration configuration)
    {
        foreach (var socket in configuration.StatsSockets)
        {
            if (socket.Path is { } path && UnixSocketProbe.Probe(path) == UnixSocketState.Live)
            {
                return false;
            }
        }

        foreach (var section in configuration.PeersSections.Where(s => !s.Disabled))
        {
            var address = section.Listener.Address;
            var ip = address.IsAny ? IPAddress.Any : IPAddress.TryParse(address.Host, out var parsed) ? parsed : null;
            if (ip is not null && !ExclusiveListener.IsFree(new IPEndPoint(ip, address.Port), out _))
            {
                return false;
            }
        }

        return true;
    }

    // DllImport, not LibraryImport: blittable arguments need no marshalling code, and LibraryImport
    // would need unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
