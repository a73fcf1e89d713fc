// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Transport;
using Stickpeer.TestKit.Transport;

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
/// A scripted peer speaking just enough of the protocol, in bytes over the simulated network, to
/// teach empty lessons: it accepts connections, answers <c>200</c>, heartbeats every second, and
/// answers each <c>00 00</c> with an end marker. The first <see cref="BreakCount"/> lessons are
/// broken right after the end marker, reproducing the HAProxy 3.0 crash interleaving (spec §9.7)
/// at node level.
/// </summary>
internal sealed class ScriptedTeacher(SimNodeContext ctx, byte endMarker, LessonBreak how, int breakCount) : ISimNode
{
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(1);

    public int BreakCount { get; private set; } = breakCount;

    public int RequestsSeen { get; private set; }

    public int ConfirmsSeen { get; private set; }

    public string Name => ctx.Name;

    public void Start()
    {
        var listener = ctx.Transport.Listen(InMemorySection.Create(ctx.Name, ctx.PeerNames.Where(n => n != ctx.Name)));
        _ = AcceptLoopAsync(listener);
    }

    public void Apply(SimWrite write) => throw new NotSupportedException("the scripted teacher has no tables");

    public string? ReadEntry(string table, ReadOnlySpan<byte> key) => null;

    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>();

    public IEnumerable<SimSessionInfo> Sessions() => [];

    public IEnumerable<string> EndOfRunProblems() => [];

    private async Task AcceptLoopAsync(IPeerListener listener)
    {
        while (await listener.AcceptAsync(CancellationToken.None) is { } connection)
        {
            _ = ServeAsync(connection);
        }
    }

    /// <summary>One connection: reads and answers until the lesson is broken or the peer leaves; heartbeats when it sent nothing for a second.</summary>
    private async Task ServeAsync(PeerTransportConnection connection)
    {
        await using var owned = connection;
        var stream = connection.Stream;
        var input = new List<byte>();
        var buffer = new byte[4096];
        var lines = 0;
        var lastSent = ctx.ProcessClock.GetUtcNow();
        Task<int> read = stream.ReadAsync(buffer).AsTask();
        Task? tick = null;
        while (true)
        {
            tick ??= Task.Delay(s_heartbeat, ctx.ProcessClock);
            if (await Task.WhenAny(read, tick) == tick)
            {
                tick = null;
                if (lines == 3 && ctx.ProcessClock.GetUtcNow() - lastSent >= s_heartbeat)
                {
                    await stream.WriteAsync(new byte[] { 0, 4 });
                    lastSent = ctx.ProcessClock.GetUtcNow();
                }

                continue;
            }

            int n;
            try
            {
                n = await read;
            }
            catch (IOException)
            {
                return;
            }

            if (n == 0)
            {
                return;
            }

            input.AddRange(buffer.AsSpan(0, n).ToArray());
            var (reply, close) = Answer(input, ref lines);
            if (reply.Length > 0)
            {
                await stream.WriteAsync(reply);
                lastSent = ctx.ProcessClock.GetUtcNow();
            }

            if (close)
            {
                return; // disposing closes: the learner reads the bytes, then the end of the stream
            }

            read = stream.ReadAsync(buffer).AsTask();
        }
    }

    /// <summary>Consumes the complete lines and messages of <paramref name="input"/>; returns the reply and whether to close after it.</summary>
    private (byte[] Reply, bool Close) Answer(List<byte> input, ref int lines)
    {
        var reply = new List<byte>();
        var span = input.ToArray().AsSpan();
        var pos = 0;
        var close = false;
        while (!close)
        {
            if (lines < 3)
            {
                var nl = span[pos..].IndexOf((byte)'\n');
                if (nl < 0)
                {
                    break;
                }

                pos += nl + 1;
                if (++lines == 3)
                {
                    reply.AddRange("200\n"u8.ToArray());
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
                close = OnControl(cls, type, reply);
                continue;
            }

            if (!WireTap.TryVarint(span[(pos + 2)..], out var len, out var n) || span.Length - pos < 2 + n + (int)len)
            {
                break;
            }

            pos += 2 + n + (int)len;
        }

        input.RemoveRange(0, pos);
        return ([.. reply], close);
    }

    /// <summary>Answers a control message; true when the lesson is broken and the connection must close.</summary>
    private bool OnControl(int cls, int type, List<byte> reply)
    {
        if (cls == 0 && type == 3)
        {
            ConfirmsSeen++;
        }

        if (cls != 0 || type != 0)
        {
            return false;
        }

        RequestsSeen++;
        if (BreakCount <= 0)
        {
            reply.AddRange([0, 1]);
            return false;
        }

        BreakCount--;
        switch (how)
        {
            case LessonBreak.EndMarkerThenRemoteError:
                reply.AddRange([0, endMarker, 1, 0]);
                break;
            case LessonBreak.EndMarkerThenGarbage:
                reply.AddRange([0, endMarker, 0xFF, 0x00]);
                break;
            default:
                reply.AddRange([0, endMarker]);
                break;
        }

        return true;
    }
}
