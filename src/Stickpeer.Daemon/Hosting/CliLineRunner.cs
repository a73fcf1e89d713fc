// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Admin;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// Runs the request lines of one CLI connection straight from the bytes received: each complete
/// line is decoded into one reused character buffer (no string per line) and handed to the
/// session, whose answers are appended to one output for the whole buffer. A line split across
/// reads stays in the buffer until its newline arrives.
/// </summary>
internal sealed class CliLineRunner
{
    private readonly CliSession _session;
    private char[] _chars = new char[1024];

    public CliLineRunner(CliSession session) => _session = session;

    /// <summary>True when <paramref name="buffer"/> holds a line to run (a complete one, or when <paramref name="final"/> any bytes).</summary>
    public static bool HasLine(in ReadOnlySequence<byte> buffer, bool final) =>
        (final && !buffer.IsEmpty) || buffer.PositionOf((byte)'\n') is not null;

    /// <summary>
    /// Runs every complete line at the start of <paramref name="buffer"/> (when <paramref name="final"/>,
    /// also a last one without its newline, e.g. <c>echo -n ... | socat</c>), appending the answers to
    /// <paramref name="output"/>, and moves <paramref name="buffer"/> past what ran. True when a line
    /// closed the connection: the lines after it are dropped, as HAProxy does.
    /// </summary>
    public bool Run(ref ReadOnlySequence<byte> buffer, bool final, StringBuilder output)
    {
        var reader = new SequenceReader<byte>(buffer);
        var close = false;
        while (!close)
        {
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                close = RunLine(line, output);
            }
            else if (final && !reader.End)
            {
                var rest = reader.UnreadSequence;
                reader.AdvanceToEnd();
                close = RunLine(rest, output);
            }
            else
            {
                break;
            }
        }

        buffer = buffer.Slice(reader.Position);
        return close;
    }

    private bool RunLine(in ReadOnlySequence<byte> bytes, StringBuilder output)
    {
        // UTF-8 never decodes to more characters than it has bytes.
        if (bytes.Length > _chars.Length)
        {
            _chars = new char[Math.Max((int)bytes.Length, _chars.Length * 2)];
        }

        var length = bytes.IsSingleSegment
            ? Encoding.UTF8.GetChars(bytes.FirstSpan, _chars)
            : Encoding.UTF8.GetChars(bytes, _chars);
        return _session.Execute(_chars.AsSpan(0, length).TrimEnd('\r'), output);
    }
}
