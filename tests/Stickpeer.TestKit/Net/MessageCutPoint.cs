// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using Stickpeer.Protocol.Errors;
using Stickpeer.Protocol.Wire;

namespace Stickpeer.TestKit.Net;

/// <summary>
/// Follows one direction of a relayed peers connection (its handshake lines, then its messages)
/// as the bytes pass, and finds where the <c>occurrence</c>-th message matching a predicate ends,
/// so a <see cref="RelayValve"/> can stop the stream exactly after it (e.g. right after
/// <c>00 01</c> "resync finished", or after the 50th ACK). Bytes that do not parse as the peers
/// protocol simply never produce a cut point.
/// </summary>
public sealed class MessageCutPoint
{
    private readonly Func<byte, byte, bool> _match;
    private readonly int _occurrence;
    private readonly int _handshakeLines;
    private byte[] _pending = new byte[4096];
    private int _pendingLength;
    private long _pendingStart;
    private int _linesSeen;
    private int _matches;
    private bool _broken;

    /// <param name="describe">What the cut point is, for logs (e.g. "after 00 01").</param>
    /// <param name="fromConnector">True for the connecting side's direction (a 3-line hello precedes its messages), false for the other (a 1-line status).</param>
    /// <param name="match">Message class and type that count.</param>
    /// <param name="occurrence">Which matching message to cut after (1 = the first).</param>
    public MessageCutPoint(string describe, bool fromConnector, Func<byte, byte, bool> match, int occurrence = 1)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        Describe = describe;
        _match = match;
        _occurrence = occurrence;
        _handshakeLines = fromConnector ? 3 : 1;
    }

    public string Describe { get; }

    /// <summary>The byte offset of this direction at which the chosen message ends, once seen.</summary>
    public long? CutAfter { get; private set; }

    /// <summary>Takes the next bytes of the direction, in order, before they are forwarded.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (CutAfter is not null || _broken)
        {
            return;
        }

        Append(data);
        var span = _pending.AsSpan(0, _pendingLength);
        var used = 0;
        while (_linesSeen < _handshakeLines)
        {
            var newline = span[used..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                Compact(used);
                return;
            }

            used += newline + 1;
            _linesSeen++;
        }

        while (CutAfter is null)
        {
            OperationStatus status;
            PeerSpanFrame frame;
            int length;
            try
            {
                status = PeerFrameScanner.TryRead(span[used..], int.MaxValue, out frame, out length);
            }
            catch (PeerProtocolException)
            {
                _broken = true;
                return;
            }

            if (status != OperationStatus.Done)
            {
                break;
            }

            used += length;
            if (_match(frame.Class, frame.Type) && ++_matches == _occurrence)
            {
                CutAfter = _pendingStart + used;
            }
        }

        Compact(used);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_pendingLength + data.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + data.Length));
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
    }

    private void Compact(int used)
    {
        _pending.AsSpan(used, _pendingLength - used).CopyTo(_pending);
        _pendingLength -= used;
        _pendingStart += used;
    }
}
