// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>How the scripted teacher ends the lessons it is told to break.</summary>
public enum LessonBreak
{
    /// <summary>End marker, then <c>01 00</c> in the same segment: the learner's session ends inside the same Receive call.</summary>
    EndMarkerThenRemoteError,

    /// <summary>End marker, then a class-255 message: the learner detects a protocol error inside the same Receive call.</summary>
    EndMarkerThenGarbage,

    /// <summary>End marker, then the teacher closes the connection.</summary>
    EndMarkerThenClose,
}

/// <summary>
/// A scripted peer speaking just enough of the protocol to teach empty lessons: it accepts
/// connections, answers <c>200</c>, heartbeats every second, and answers each <c>00 00</c>
/// with an end marker. The first <see cref="BreakCount"/> lessons are broken right after the
/// end marker, reproducing the HAProxy 3.0 crash interleaving (spec §9.7) at node level.
/// </summary>
internal sealed class ScriptedTeacher(SimNodeContext ctx, byte endMarker, LessonBreak how, int breakCount) : ISimNode
{
    private readonly Dictionary<int, Conn> _conns = [];
    private readonly Queue<SimNodeAction> _actions = new();
    private int _next = 1;

    public int BreakCount { get; private set; } = breakCount;

    public int RequestsSeen { get; private set; }

    public int ConfirmsSeen { get; private set; }

    public string Name => ctx.Name;

    public bool SpeaksPeersProtocol => true;

    private long Now => (long)(ctx.Time.GetUtcNow() - VirtualScheduler.Epoch).TotalMilliseconds;

    public int Accept()
    {
        var id = _next++;
        _conns[id] = new Conn { LastSent = Now };
        return id;
    }

    public void Connected(int connection)
    {
    }

    public void Receive(int connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        examined = data.End;
        consumed = data.End;
        if (!_conns.TryGetValue(connection, out var c) || c.Closing)
        {
            return;
        }

        c.In.AddRange(data.ToArray());
        var span = c.In.ToArray().AsSpan();
        var pos = 0;
        while (!c.Closing)
        {
            if (c.Lines < 3)
            {
                var nl = span[pos..].IndexOf((byte)'\n');
                if (nl < 0)
                {
                    break;
                }

                pos += nl + 1;
                if (++c.Lines == 3)
                {
                    Send(c, "200\n"u8);
                }

                continue;
            }

            if (span.Length - pos < 2)
            {
                break;
            }

            int cls = span[pos], type = span[pos + 1];
            if ((type & 0x80) == 0)
            {
                pos += 2;
                OnControl(connection, c, cls, type);
                continue;
            }

            if (!WireTap.TryVarint(span[(pos + 2)..], out var len, out var n) || span.Length - pos < 2 + n + (int)len)
            {
                break;
            }

            pos += 2 + n + (int)len;
        }

        c.In.RemoveRange(0, pos);
    }

    public void Closed(int connection, SimCloseReason reason) => _conns.Remove(connection);

    public void Tick()
    {
        foreach (var c in _conns.Values)
        {
            if (c.Lines == 3 && !c.Closing && Now - c.LastSent >= 1000)
            {
                Send(c, [0, 4]);
            }
        }
    }

    public bool TryDequeueAction(out SimNodeAction action) => _actions.TryDequeue(out action);

    public int DrainOutput(int connection, IBufferWriter<byte> destination, int maxBytes)
    {
        if (!_conns.TryGetValue(connection, out var c) || c.Out.Count == 0)
        {
            return 0;
        }

        var n = Math.Min(maxBytes, c.Out.Count);
        c.Out.GetRange(0, n).ToArray().CopyTo(destination.GetSpan(n));
        destination.Advance(n);
        c.Out.RemoveRange(0, n);
        return n;
    }

    public void Apply(SimWrite write) => throw new NotSupportedException("the scripted teacher has no tables");

    public string? ReadEntry(string table, ReadOnlySpan<byte> key) => null;

    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>();

    public IEnumerable<SimSessionInfo> Sessions() => [];

    public IReadOnlyList<string> TakeProblems() => [];

    public IEnumerable<string> EndOfRunProblems() => [];

    public void Dispose()
    {
    }

    private void OnControl(int id, Conn c, int cls, int type)
    {
        if (cls == 0 && type == 3)
        {
            ConfirmsSeen++;
        }

        if (cls != 0 || type != 0)
        {
            return;
        }

        RequestsSeen++;
        if (BreakCount <= 0)
        {
            Send(c, [0, 1]);
            return;
        }

        BreakCount--;
        switch (how)
        {
            case LessonBreak.EndMarkerThenRemoteError:
                Send(c, [0, endMarker, 1, 0]);
                break;
            case LessonBreak.EndMarkerThenGarbage:
                Send(c, [0, endMarker, 0xFF, 0x00]);
                break;
            default:
                Send(c, [0, endMarker]);
                break;
        }

        c.Closing = true;
        _actions.Enqueue(SimNodeAction.Close(id));
    }

    private void Send(Conn c, ReadOnlySpan<byte> bytes)
    {
        c.Out.AddRange(bytes.ToArray());
        c.LastSent = Now;
    }

    private sealed class Conn
    {
        public List<byte> In { get; } = [];

        public List<byte> Out { get; } = [];

        public int Lines { get; set; }

        public bool Closing { get; set; }

        public long LastSent { get; set; }
    }
}
