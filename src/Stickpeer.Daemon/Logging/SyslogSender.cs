// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Daemon.Logging;

/// <summary>
/// Sends syslog lines to one <c>log</c> target, in HAProxy's default (legacy, rfc3164-style) format:
/// <c>&lt;PRI&gt;Mmm dd hh:mm:ss stickpeer[pid]: message</c>. Sending never throws: a log target that is
/// down must not stop the node, as with HAProxy.
/// </summary>
internal sealed class SyslogSender : IDisposable
{
    private readonly LogTargetDefinition _target;
    private readonly TimeProvider _time;
    private readonly Socket? _socket;
    private readonly EndPoint? _endpoint;
    private readonly TextWriter? _stream;
    private readonly Lock _gate = new();

    public SyslogSender(LogTargetDefinition target, TimeProvider time)
    {
        _target = target;
        _time = time;
        if (target.Stream is { } stream)
        {
            _stream = stream == "stdout" ? Console.Out : Console.Error;
        }
        else if (target.SocketPath is { } path)
        {
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _endpoint = new UnixDomainSocketEndPoint(path);
        }
        else
        {
            var udp = target.Udp!;
            try
            {
                var ip = IPAddress.TryParse(udp.Host, out var parsed) ? parsed : Dns.GetHostAddresses(udp.Host)[0];
                _socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                _endpoint = new IPEndPoint(ip, udp.Port);
            }
            catch (SocketException)
            {
                // A syslog host that does not resolve gets nothing, as in HAProxy; the console log remains.
            }
        }
    }

    /// <summary>The most verbose syslog severity this target sends.</summary>
    public int MaxSeverity => _target.MaxSeverity;

    /// <summary>Sends <paramref name="message"/> at syslog <paramref name="severity"/> (0 emerg … 7 debug) if the target's levels take it.</summary>
    public void Send(int severity, string message)
    {
        if (severity > _target.MaxSeverity)
        {
            return;
        }

        // HAProxy's minlevel caps how severe a message is reported, not which messages are sent.
        severity = Math.Max(severity, _target.MinSeverity);
        var now = _time.GetLocalNow();
        var line = $"<{(_target.Facility * 8) + severity}>{now:MMM} {now.Day,2} {now:HH:mm:ss} stickpeer[{Environment.ProcessId}]: {message}";
        if (line.Length > _target.MaxLength)
        {
            line = line[.._target.MaxLength];
        }

        lock (_gate)
        {
            try
            {
                if (_stream is not null)
                {
                    _stream.WriteLine(line);
                }
                else if (_socket is not null)
                {
                    _socket.SendTo(Encoding.UTF8.GetBytes(line), _endpoint!);
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                // Dropped, as a datagram to a syslog that is down would be.
            }
        }
    }

    public void Dispose() => _socket?.Dispose();
}
