// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// systemd's readiness protocol (<c>Type=notify</c>, eng/systemd/stickpeer.service): one datagram of
/// <c>KEY=value</c> lines to the UNIX socket systemd names in <c>NOTIFY_SOCKET</c> (a leading <c>@</c> is
/// an abstract socket). Without that variable nothing is sent. Failures are ignored: the service manager's
/// view is an aid, never a reason to stop replicating.
/// </summary>
public sealed class SystemdNotify
{
    private readonly string? _socket;

    public SystemdNotify(string? socketPath) => _socket = string.IsNullOrEmpty(socketPath) ? null : socketPath;

    /// <summary>From the process environment (<c>NOTIFY_SOCKET</c>).</summary>
    public static SystemdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    /// <summary>Sends <paramref name="state"/> (e.g. <c>READY=1</c>); false when disabled or the send failed.</summary>
    public bool Send(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_socket is null)
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            // An abstract address is written with a leading NUL; '@' is how systemd spells it in the variable.
            var path = _socket[0] == '@' ? "\0" + _socket[1..] : _socket;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
