// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stickpeer.Protocol.Handshake;

/// <summary>Writes the hello (connector side) and status lines (acceptor side).</summary>
public static class HandshakeWriter
{
    /// <summary>
    /// Writes <c>HAProxyS 2.1\n&lt;remote&gt;\n&lt;local&gt; &lt;pid&gt; &lt;relative pid&gt;\n</c>
    /// (<c>2.0</c> when <paramref name="downgraded"/>).
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="remotePeerName">The acceptor's local peer name as configured on our side.</param>
    /// <param name="localPeerName">Our local peer name.</param>
    /// <param name="pid">Our process id.</param>
    /// <param name="relativePid">Always 1 in HAProxy 2.6 and later.</param>
    /// <param name="downgraded">Announce 2.0 (the peer previously answered 502).</param>
    /// <exception cref="ArgumentException">A name is empty or contains a line break, or the local name contains a space.</exception>
    public static void WriteHello(IBufferWriter<byte> writer, string remotePeerName, string localPeerName, int pid, int relativePid = 1, bool downgraded = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CheckName(remotePeerName, nameof(remotePeerName), allowSpace: true);
        CheckName(localPeerName, nameof(localPeerName), allowSpace: false);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"HAProxyS 2.{(downgraded ? 0 : 1)}\n{remotePeerName}\n{localPeerName} {pid} {relativePid}\n");
        Encoding.UTF8.GetBytes(text, writer);
    }

    /// <summary>Writes a status line (<c>200\n</c>, …).</summary>
    public static void WriteStatus(IBufferWriter<byte> writer, HandshakeStatus status)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(12);
        ((int)status).TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    private static void CheckName(string name, string paramName, bool allowSpace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (name.Contains('\n', StringComparison.Ordinal) || name.Contains('\r', StringComparison.Ordinal) || (!allowSpace && name.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("peer name must not contain line breaks" + (allowSpace ? string.Empty : " or spaces"), paramName);
        }
    }
}
