// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// The run's trace: a 64-bit FNV-1a hash over every scheduling decision and every byte
/// moved (two runs of one seed must produce the same hash), plus the last lines in a ring
/// buffer, formatted only when a failure is reported.
/// </summary>
internal sealed class SimTrace
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly (long At, string Kind, int Node, int Conn, long Value, string? Text)[] _ring;
    private int _next;
    private long _count;

    public SimTrace(int ringSize = 400) => _ring = new (long, string, int, int, long, string?)[ringSize];

    public ulong Hash { get; private set; } = FnvOffset;

    public long Events => _count;

    public bool Verbose { get; set; }

    public void Add(long at, string kind, int node, int conn, long value, string? text = null)
    {
        var h = Hash;
        h = Mix(h, (ulong)at);
        h = Mix(h, (ulong)kind.Length ^ ((ulong)kind[0] << 8) ^ ((ulong)kind[^1] << 16));
        h = Mix(h, (ulong)(uint)node);
        h = Mix(h, (ulong)(uint)conn);
        h = Mix(h, (ulong)value);
        if (text is not null)
        {
            foreach (var c in text)
            {
                h = (h ^ c) * FnvPrime;
            }
        }

        Hash = h;
        _ring[_next] = (at, kind, node, conn, value, text);
        _next = (_next + 1) % _ring.Length;
        _count++;
        if (Verbose)
        {
            Console.WriteLine(Format(_ring[(_next + _ring.Length - 1) % _ring.Length]));
        }
    }

    /// <summary>A diagnostic line (the key trace): kept in the ring and printed, never hashed, so it does not change the run.</summary>
    public void Note(long at, int node, int conn, string text)
    {
        _ring[_next] = (at, "key", node, conn, 0, text);
        _next = (_next + 1) % _ring.Length;
        _count++;
        Console.WriteLine(Format(_ring[(_next + _ring.Length - 1) % _ring.Length]));
    }

    public void AddBytes(ReadOnlySpan<byte> bytes)
    {
        var h = Hash;
        foreach (var b in bytes)
        {
            h = (h ^ b) * FnvPrime;
        }

        Hash = h;
    }

    public IEnumerable<string> Tail(int lines)
    {
        var n = (int)Math.Min(Math.Min(lines, _ring.Length), _count);
        for (var i = n; i > 0; i--)
        {
            yield return Format(_ring[(_next - i + _ring.Length) % _ring.Length]);
        }
    }

    private static string Format((long At, string Kind, int Node, int Conn, long Value, string? Text) e) =>
        $"{e.At,8}ms n{e.Node} c{e.Conn} {e.Kind} {e.Value}{(e.Text is null ? "" : " " + e.Text)}";

    private static ulong Mix(ulong h, ulong v)
    {
        for (var i = 0; i < 8; i++)
        {
            h = (h ^ (v & 0xFF)) * FnvPrime;
            v >>= 8;
        }

        return h;
    }
}
