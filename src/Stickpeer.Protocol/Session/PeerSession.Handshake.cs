// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stickpeer.Protocol.Session;

/// <content>Handshake: hello (connector), validation and status line (acceptor), status parsing (connector).</content>
public sealed partial class PeerSession
{
    /// <summary>The version we announce.</summary>
    public const string ProtocolVersion = "2.1";

    private int _helloLine;
    private string _helloTarget = string.Empty;
    private int _helloMinor;

    private void WriteHello()
    {
        var text = $"HAProxyS {ProtocolVersion}\n{RemotePeerName}\n{_options.LocalPeerName} {_options.ProcessId.ToString(CultureInfo.InvariantCulture)} 1\n";
        var bytes = Encoding.ASCII.GetBytes(text);
        Output.Write(bytes);
        MarkSent();
    }

    private void WriteStatus(int status)
    {
        Output.Write(Encoding.ASCII.GetBytes(status.ToString(CultureInfo.InvariantCulture) + "\n"));
        MarkSent();
    }

    private void ReceiveHandshake(ref ReadOnlySequence<byte> rest)
    {
        while (State is PeerSessionState.AwaitingHello or PeerSessionState.AwaitingStatus)
        {
            var reader = new SequenceReader<byte>(rest);
            if (!reader.TryReadTo(out ReadOnlySequence<byte> lineBytes, (byte)'\n'))
            {
                if (rest.Length >= _options.MaxHandshakeLine)
                {
                    SessionLog.HandshakeFailed(_logger, Id, PeerLabel, "handshake line too long");
                    CloseCore(SessionCloseReason.HandshakeFailed, "handshake line too long");
                }

                return;
            }

            if (lineBytes.Length >= _options.MaxHandshakeLine)
            {
                SessionLog.HandshakeFailed(_logger, Id, PeerLabel, "handshake line too long");
                CloseCore(SessionCloseReason.HandshakeFailed, "handshake line too long");
                return;
            }

            rest = rest.Slice(reader.Position);
            var line = Encoding.Latin1.GetString(lineBytes);
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            if (Role == PeerSessionRole.Connector)
            {
                OnStatusLine(line);
            }
            else
            {
                OnHelloLine(line);
            }
        }
    }

    private void OnStatusLine(string line)
    {
        Status = ParseLeadingInt(line);
        if (Status == 200)
        {
            TransitionTo(PeerSessionState.Established);
            _handler.OnEstablished();
            return;
        }

        if (Status == 502)
        {
            RemoteDowngraded = true;
        }

        SessionLog.StatusRejected(_logger, Id, PeerLabel, Status);
        CloseCore(SessionCloseReason.StatusRejected, "status " + Status.ToString(CultureInfo.InvariantCulture));
    }

    private void OnHelloLine(string line)
    {
        _helloLine++;
        switch (_helloLine)
        {
            case 1:
                if (!line.StartsWith("HAProxyS ", StringComparison.Ordinal))
                {
                    Reject(501, "bad protocol identifier");
                    return;
                }

                if (!TryParseVersion(line.AsSpan(9), out var major, out var minor) || major != 2 || minor > 1)
                {
                    Reject(502, "unsupported version '" + line[9..] + "'");
                    return;
                }

                _helloMinor = minor;
                return;
            case 2:
                if (!string.Equals(line, _options.LocalPeerName, StringComparison.Ordinal))
                {
                    Reject(503, "hello addressed to '" + line + "'");
                    return;
                }

                _helloTarget = line;
                return;
            default:
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0)
                {
                    Reject(501, "no space in hello line 3");
                    return;
                }

                var hello = new PeerHello(2, _helloMinor, _helloTarget, line[..space], line[(space + 1)..]);
                var status = _handler.OnHello(hello);
                if (status != 200)
                {
                    RemotePeerName = hello.PeerName;
                    Reject(status, "refused by the node");
                    return;
                }

                RemotePeerName = hello.PeerName;
                RemoteDowngraded = hello.VersionMinor == 0;
                Status = 200;
                WriteStatus(200);
                TransitionTo(PeerSessionState.Established);
                _handler.OnEstablished();
                return;
        }
    }

    private void Reject(int status, string why)
    {
        Status = status;
        SessionLog.HelloRejected(_logger, Id, status, why);
        WriteStatus(status);
        CloseCore(SessionCloseReason.HandshakeRejected, why);
    }

    private static bool TryParseVersion(ReadOnlySpan<char> text, out int major, out int minor)
    {
        major = minor = 0;
        var dot = text.IndexOf('.');
        return dot > 0 && dot < text.Length - 1
            && IsDigits(text[..dot]) && IsDigits(text[(dot + 1)..])
            && int.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out major)
            && int.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>atoi semantics: optional blanks and sign, then digits; anything else gives 0.</summary>
    private static int ParseLeadingInt(string line)
    {
        var i = 0;
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
        {
            i++;
        }

        var negative = false;
        if (i < line.Length && (line[i] == '+' || line[i] == '-'))
        {
            negative = line[i] == '-';
            i++;
        }

        long value = 0;
        while (i < line.Length && line[i] is >= '0' and <= '9' && value < int.MaxValue)
        {
            value = (value * 10) + (line[i] - '0');
            i++;
        }

        var v = (int)Math.Min(value, int.MaxValue);
        return negative ? -v : v;
    }
}
