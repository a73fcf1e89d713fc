// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stickpeer.Daemon.Top;

/// <summary>
/// Reads a node through a stats socket with <c>show peers</c> and <c>show table</c>: a Stickpeer
/// admin socket or HAProxy's own <c>stats socket</c>, so the same view watches either. The
/// address is a UNIX socket path, or <c>host:port</c> / <c>ipv4@host:port</c> for a TCP one.
/// Each command uses its own connection, as HAProxy closes a non-interactive one after answering.
/// </summary>
public sealed class SocketTopSource : ITopSource
{
    // An answer larger than this is not a stats socket talking (show peers of a 100-peer
    // section with many tables is well under a megabyte).
    private const int MaxAnswer = 16 << 20;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly EndPoint _endpoint;
    private readonly TimeProvider _time;

    public SocketTopSource(string address, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(address);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Origin = address;
        _endpoint = Parse(address);
    }

    public string Origin { get; }

    public async Task<TopSample> ReadAsync(CancellationToken cancellationToken)
    {
        var peers = await AskAsync("show peers", cancellationToken);
        var tables = await AskAsync("show table", cancellationToken);
        var sections = ShowPeersParser.ParsePeers(peers, out var local);
        if (sections.Count == 0 && peers.Length > 0 && !peers.StartsWith('\n'))
        {
            // Not a "show peers" answer: most likely "Permission denied" or "Unknown command".
            throw new TopSourceException($"{Origin} answered 'show peers' with: {FirstLine(peers)}");
        }

        return new TopSample(local, sections, ShowPeersParser.ParseTables(tables), _time.GetUtcNow());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static EndPoint Parse(string address)
    {
        var rest = address.StartsWith("ipv4@", StringComparison.Ordinal) ? address[5..] : address;
        var colon = rest.LastIndexOf(':');
        if (!address.StartsWith('/') && colon > 0 && int.TryParse(rest[(colon + 1)..], out var port) && IPAddress.TryParse(rest[..colon], out var ip))
        {
            return new IPEndPoint(ip, port);
        }

        var path = address.StartsWith("unix@", StringComparison.Ordinal) ? address[5..] : address;
        return new UnixDomainSocketEndPoint(path);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private async Task<string> AskAsync(string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var family = _endpoint is UnixDomainSocketEndPoint ? AddressFamily.Unix : _endpoint.AddressFamily;
        using var socket = new Socket(family, SocketType.Stream, family == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_endpoint, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token);
            var answer = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, timeout.Token);
                if (n == 0)
                {
                    return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
                }

                if (answer.Length + n > MaxAnswer)
                {
                    throw new TopSourceException($"{Origin} answered '{command}' with more than {MaxAnswer >> 20} MiB");
                }

                await answer.WriteAsync(buffer.AsMemory(0, n), timeout.Token);
            }
        }
        catch (SocketException ex)
        {
            throw new TopSourceException($"cannot read {Origin}: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TopSourceException($"cannot read {Origin}: no complete answer to '{command}' within {s_timeout.TotalSeconds:0} s", ex);
        }
    }
}
