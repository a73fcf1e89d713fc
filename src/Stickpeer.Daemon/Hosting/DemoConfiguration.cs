// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;

namespace Stickpeer.Daemon.Hosting;

/// <summary>The embedded configuration used when <c>stickpeer</c> runs without arguments.</summary>
public sealed record DemoConfiguration(string Directory, string ConfigPath, string SocketPath, int PeerPort, int HaproxyPort)
{
    public const string LocalPeer = "stickpeer";

    /// <summary>Writes the demo configuration to a fresh temporary directory (port 10000 when free).</summary>
    public static DemoConfiguration Create()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("stickpeer-demo-").FullName;
        var port = IsFree(10000) ? 10000 : FreePort();
        var haproxyPort = port == 10000 && IsFree(10001) ? 10001 : FreePort();
        var socket = Path.Combine(dir, "admin.sock");
        var config = Path.Combine(dir, "stickpeer.cfg");
        File.WriteAllText(config, $"""
            # Stickpeer demo node (written by 'stickpeer' run without arguments).
            global
                localpeer {LocalPeer}
                stats socket {socket} level admin mode 600

            peers demo
                bind 127.0.0.1:{port}
                server {LocalPeer}
                server haproxy 127.0.0.1:{haproxyPort}
                table sessions type string len 32 size 10k expire 30m store gpc0,http_req_rate(10s)

            """);
        return new DemoConfiguration(dir, config, socket, port, haproxyPort);
    }

    /// <summary>An admin socket path for the HAProxy next to the demo: never Stickpeer's own, and outside the demo directory deleted on exit.</summary>
    public static string HaproxySocketPath => Path.Combine(Path.GetTempPath(), "haproxy-demo.sock");

    /// <summary>How to point a HAProxy at the demo node.</summary>
    public string Instructions => $"""
        stickpeer: no configuration given; running a demo node.
          local peer  : {LocalPeer}, listening on 127.0.0.1:{PeerPort} (plain TCP)
          admin CLI   : {SocketPath}
                        e.g. echo "show table" | socat stdio unix-connect:{SocketPath}
          config      : {ConfigPath}

        To replicate with HAProxy, put these lines in haproxy.cfg (HAProxy gets an admin socket of its own:
        two processes must never share one) and start it with 'haproxy -L haproxy -f haproxy.cfg':

            global
                stats socket {HaproxySocketPath} level admin

            peers demo
                peer haproxy 127.0.0.1:{HaproxyPort}
                peer {LocalPeer} 127.0.0.1:{PeerPort}
                table sessions type string len 32 size 10k expire 30m store gpc0,http_req_rate(10s)

        The table's full name is demo/sessions, on both sides: use it in HAProxy rules
        (e.g. 'http-request track-sc0 req.cookie(sid) table demo/sessions') and on both admin sockets:
            echo "set table demo/sessions key alice data.gpc0 1" | socat stdio unix-connect:{SocketPath}
            echo "show table demo/sessions" | socat stdio unix-connect:{HaproxySocketPath}
        Press Ctrl+C to stop.
        """;

    private static bool IsFree(int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
