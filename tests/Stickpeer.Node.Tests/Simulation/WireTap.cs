// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers.Binary;
using System.Text;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// An independent, minimal decoder of one direction of a peers connection, fed with every
/// byte a node emits (before any network fault). It does not trust the codec under test:
/// it re-frames messages itself and checks protocol invariants that are visible on the
/// wire — the stream is well formed, every ACK names an update id that the other side
/// really sent on that table id in this session, CONFIRMs only answer FINISHED/PARTIAL —
/// and it tells the oracle which bytes carry a lesson (full resync) so that stale-but-legal
/// lesson data is not mistaken for a lost write.
/// </summary>
internal sealed class WireTap
{
    private const int MaxPayload = 16384;
    private readonly bool _fromConnector;
    private readonly Dictionary<int, HashSet<uint>> _sentIds = [];
    private readonly Dictionary<int, uint> _lastId = [];
    private readonly Queue<long> _lessonEnds = new();
    private byte[] _buffer = new byte[256];
    private int _length;
    private int _linesLeft;
    private int _currentTable;
    private bool _stopped;

    public WireTap(bool fromConnector)
    {
        _fromConnector = fromConnector;
        _linesLeft = fromConnector ? 3 : 1;
    }

    public WireTap? Reverse { get; set; }

    /// <summary>Bytes fed so far (the stream offset after the last byte).</summary>
    public long Offset { get; private set; }

    /// <summary>True once the status line <c>200</c> went by (acceptor direction) or was received (connector direction).</summary>
    public bool StatusOk { get; private set; }

    public bool Binary => _linesLeft == 0 && !_stopped;

    public int ResyncRequests { get; private set; }

    public int LessonEndsSent { get; private set; }

    public int Confirms { get; private set; }

    public int Heartbeats { get; private set; }

    public int Updates { get; private set; }

    public int Acks { get; private set; }

    public int ErrorsSent { get; private set; }

    /// <summary>True after this direction sent <c>00 00</c> until the other direction sent <c>00 01</c>/<c>00 02</c>.</summary>
    public bool RequestOutstanding { get; set; }

    /// <summary>True when this direction currently owes lesson data: the other side asked and no end marker went back yet.</summary>
    public bool Teaching => Reverse is not null && Reverse.RequestOutstanding;

    /// <summary>Removes and counts the lesson messages that end at or before <paramref name="offset"/>.</summary>
    public int TakeLessonMessagesUpTo(long offset)
    {
        var n = 0;
        while (_lessonEnds.Count > 0 && _lessonEnds.Peek() <= offset)
        {
            _lessonEnds.Dequeue();
            n++;
        }

        return n;
    }

    public void Feed(ReadOnlySpan<byte> bytes, Action<string> violation)
    {
        if (_stopped)
        {
            Offset += bytes.Length;
            return;
        }

        if (_length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
        var start = Offset + bytes.Length - _length;
        Offset += bytes.Length;
        var pos = 0;
        while (!_stopped)
        {
            var used = _linesLeft > 0 ? TryLine(_buffer.AsSpan(pos, _length - pos), violation) : TryMessage(_buffer.AsSpan(pos, _length - pos), start + pos, violation);
            if (used <= 0)
            {
                break;
            }

            pos += used;
        }

        _buffer.AsSpan(pos, _length - pos).CopyTo(_buffer);
        _length -= pos;
    }

    private int TryLine(ReadOnlySpan<byte> span, Action<string> violation)
    {
        var nl = span.IndexOf((byte)'\n');
        if (nl < 0)
        {
            if (span.Length > MaxPayload)
            {
                violation("handshake line longer than 16384 bytes");
                _stopped = true;
            }

            return 0;
        }

        var line = Encoding.ASCII.GetString(span[..nl]);
        _linesLeft--;
        if (_fromConnector && _linesLeft == 2 && !line.StartsWith("HAProxyS 2.", StringComparison.Ordinal))
        {
            violation($"hello does not start with 'HAProxyS 2.': '{line}'");
        }

        if (!_fromConnector)
        {
            StatusOk = line == "200";
            if (!StatusOk)
            {
                _stopped = true;
            }
        }

        return nl + 1;
    }

    private int TryMessage(ReadOnlySpan<byte> span, long offset, Action<string> violation)
    {
        if (span.Length < 2)
        {
            return 0;
        }

        int cls = span[0], type = span[1];
        if ((type & 0x80) == 0)
        {
            Control(cls, type, violation);
            return 2;
        }

        if (!TryVarint(span[2..], out var len, out var lenBytes))
        {
            if (span.Length - 2 >= 10)
            {
                violation("length varint longer than 10 bytes");
                _stopped = true;
            }

            return 0;
        }

        if (len > MaxPayload)
        {
            violation($"node sent a {len}-byte payload (limit {MaxPayload})");
            _stopped = true;
            return 0;
        }

        var total = 2 + lenBytes + (int)len;
        if (span.Length < total)
        {
            return 0;
        }

        if (cls == 10)
        {
            TableMessage(type, span.Slice(2 + lenBytes, (int)len), offset + total, violation);
        }

        return total;
    }

    private void Control(int cls, int type, Action<string> violation)
    {
        if (cls == 1)
        {
            ErrorsSent++;
            _stopped = true;
            return;
        }

        if (cls != 0)
        {
            return;
        }

        switch (type)
        {
            case 0:
                ResyncRequests++;
                RequestOutstanding = true;
                break;
            case 1:
            case 2:
                LessonEndsSent++;
                if (Reverse is not null)
                {
                    Reverse.RequestOutstanding = false;
                }

                break;
            case 3:
                Confirms++;
                if (Reverse is not null && Confirms > Reverse.LessonEndsSent)
                {
                    violation($"RESYNCCONFIRM #{Confirms} sent but only {Reverse.LessonEndsSent} FINISHED/PARTIAL were received");
                }

                break;
            case 4:
                Heartbeats++;
                break;
            default:
                break;
        }
    }

    private void TableMessage(int type, ReadOnlySpan<byte> payload, long endOffset, Action<string> violation)
    {
        switch (type)
        {
            case 0x82:
            case 0x83:
                if (!TryVarint(payload, out var id, out _) || id == 0 || id > int.MaxValue)
                {
                    violation($"DEFINE/SWITCH without a valid table id (type 0x{type:X2})");
                    return;
                }

                _currentTable = (int)id;
                return;
            case 0x80:
            case 0x85:
            case 0x81:
            case 0x86:
                Update(type, payload, endOffset, violation);
                return;
            case 0x84:
                Ack(payload, violation);
                return;
            default:
                return;
        }
    }

    private void Update(int type, ReadOnlySpan<byte> payload, long endOffset, Action<string> violation)
    {
        Updates++;
        if (_currentTable == 0)
        {
            violation("update sent before any DEFINE");
            return;
        }

        uint id;
        if (type is 0x80 or 0x85)
        {
            if (payload.Length < 4)
            {
                violation("explicit update shorter than its id");
                return;
            }

            id = BinaryPrimitives.ReadUInt32BigEndian(payload);
        }
        else
        {
            id = unchecked(_lastId.GetValueOrDefault(_currentTable) + 1);
        }

        _lastId[_currentTable] = id;
        if (!_sentIds.TryGetValue(_currentTable, out var ids))
        {
            _sentIds[_currentTable] = ids = [];
        }

        ids.Add(id);
        if (type is 0x85 or 0x86 || Teaching)
        {
            _lessonEnds.Enqueue(endOffset);
        }
    }

    private void Ack(ReadOnlySpan<byte> payload, Action<string> violation)
    {
        Acks++;
        if (!TryVarint(payload, out var table, out var n) || payload.Length < n + 4)
        {
            violation("malformed ACK");
            return;
        }

        var id = BinaryPrimitives.ReadUInt32BigEndian(payload[n..]);
        if (Reverse is null || !Reverse._sentIds.TryGetValue((int)table, out var ids) || !ids.Contains(id))
        {
            violation($"ACK for table id {table} update {id}, which the other side never sent in this session");
        }
    }

    internal static bool TryVarint(ReadOnlySpan<byte> src, out ulong value, out int used)
    {
        value = 0;
        used = 0;
        if (src.IsEmpty)
        {
            return false;
        }

        value = src[0];
        used = 1;
        if (value < 240)
        {
            return true;
        }

        var shift = 4;
        while (used < src.Length && used < 10)
        {
            var b = src[used++];
            value = unchecked(value + ((ulong)b << shift));
            shift += 7;
            if (b < 128)
            {
                return true;
            }
        }

        return false;
    }
}
