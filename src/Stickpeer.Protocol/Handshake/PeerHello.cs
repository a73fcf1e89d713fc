// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Protocol.Handshake;

/// <summary>
/// The three raw lines of a hello (without <c>\n</c> or a <c>\r</c> before it). Nothing is
/// validated here; <see cref="HandshakeValidator"/> decides the status.
/// </summary>
public sealed class PeerHello
{
    /// <summary>The protocol identifier including its trailing space.</summary>
    public static ReadOnlySpan<byte> Identifier => "HAProxyS "u8;

    private readonly byte[] _line1;
    private readonly byte[] _line2;
    private readonly byte[] _line3;

    /// <summary>Creates a hello from its raw lines.</summary>
    public PeerHello(ReadOnlySpan<byte> line1, ReadOnlySpan<byte> line2, ReadOnlySpan<byte> line3)
    {
        _line1 = line1.ToArray();
        _line2 = line2.ToArray();
        _line3 = line3.ToArray();
    }

    /// <summary>Line 1 (<c>HAProxyS 2.1</c>).</summary>
    public ReadOnlySpan<byte> VersionLine => _line1;

    /// <summary>Line 2: the name the connector thinks we have.</summary>
    public ReadOnlySpan<byte> TargetNameLine => _line2;

    /// <summary>Line 3: <c>&lt;name&gt; &lt;pid&gt; &lt;relative pid&gt;</c>.</summary>
    public ReadOnlySpan<byte> SenderLine => _line3;

    /// <summary>Line 2 as text: the acceptor's local peer name as the connector knows it.</summary>
    public string TargetName => Encoding.UTF8.GetString(_line2);

    /// <summary>The connector's name (line 3 up to its first space), or null when line 3 has no space.</summary>
    public string? SenderName
    {
        get
        {
            var i = Array.IndexOf(_line3, (byte)' ');
            return i < 0 ? null : Encoding.UTF8.GetString(_line3, 0, i);
        }
    }

    /// <summary>True when line 1 starts with <c>HAProxyS </c>.</summary>
    public bool HasIdentifier => VersionLine.StartsWith(Identifier);

    /// <summary>Parses <c>&lt;uint&gt;.&lt;uint&gt;</c> after the identifier (nothing else allowed).</summary>
    public bool TryGetVersion(out int major, out int minor)
    {
        major = minor = -1;
        if (!HasIdentifier)
        {
            return false;
        }

        var rest = VersionLine[Identifier.Length..];
        var dot = rest.IndexOf((byte)'.');
        return dot >= 0 && TryParseUInt(rest[..dot], out major) && TryParseUInt(rest[(dot + 1)..], out minor);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Encoding.UTF8.GetString(_line1)} | {Encoding.UTF8.GetString(_line2)} | {Encoding.UTF8.GetString(_line3)}";

    private static bool TryParseUInt(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
