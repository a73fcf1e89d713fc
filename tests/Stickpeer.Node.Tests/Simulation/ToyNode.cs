// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>
/// A deliberately tiny line-based replicating node used to test the simulation harness
/// itself (faults, determinism, oracle) independently of the real <c>PeerNode</c>. It
/// follows the peers rules that matter to the oracle: full mesh, one session per pair
/// (last connected wins), only local changes are pushed (all of them again on every new
/// session), heartbeats and a silence timeout. <see cref="LosePushes"/> injects a bug.
/// </summary>
internal sealed class ToyNode : ISimNode
{
    private readonly SimNodeContext _ctx;
    private readonly Random _rnd;
    private readonly Dictionary<string, SortedDictionary<string, string>> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _local = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Session> _sessions = [];
    private readonly Dictionary<string, long> _reconnectAt = new(StringComparer.Ordinal);
    private readonly Queue<SimNodeAction> _actions = new();
    private int _nextId = 1;

    public ToyNode(SimNodeContext ctx, bool losePushes = false)
    {
        _ctx = ctx;
        _rnd = new Random(ctx.Seed);
        LosePushes = losePushes;
        if (ctx.Previous is ToyNode old)
        {
            foreach (var (k, v) in old._entries)
            {
                _entries[k] = new SortedDictionary<string, string>(v, StringComparer.Ordinal);
            }

            _local.UnionWith(old._local);
        }

        foreach (var p in ctx.PeerNames)
        {
            if (p != ctx.Name)
            {
                _reconnectAt[p] = 0;
            }
        }
    }

    public bool LosePushes { get; }

    public string Name => _ctx.Name;

    public bool SpeaksPeersProtocol => false;

    private long Now => (long)(_ctx.Time.GetUtcNow() - VirtualScheduler.Epoch).TotalMilliseconds;

    public int Accept()
    {
        var id = _nextId++;
        _sessions[id] = new Session(id, null, false) { LastRecv = Now, LastSent = Now };
        return id;
    }

    public void Connected(int connection)
    {
        var s = _sessions[connection];
        s.LastRecv = Now;
        Send(s, $"HELLO {Name}\n");
    }

    public void Receive(int connection, ReadOnlySequence<byte> data, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = data.Start;
        examined = data.End;
        if (!_sessions.TryGetValue(connection, out var s))
        {
            consumed = data.End;
            return;
        }

        var reader = new SequenceReader<byte>(data);
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            consumed = reader.Position;
            s.LastRecv = Now;
            if (!Handle(s, Encoding.ASCII.GetString(line)))
            {
                consumed = data.End;
                return;
            }
        }
    }

    public void Closed(int connection, SimCloseReason reason)
    {
        if (_sessions.Remove(connection, out var s) && s.Peer is not null && s.Ready)
        {
            _reconnectAt[s.Peer] = Now + _rnd.Next(50, 2050);
        }
        else if (s?.Peer is { } p)
        {
            _reconnectAt[p] = Now + _rnd.Next(50, 2050);
        }
    }

    public void Tick()
    {
        var now = Now;
        foreach (var s in _sessions.Values.ToArray())
        {
            if (now - s.LastRecv > 5000)
            {
                Drop(s);
            }
            else if (s.Ready && now - s.LastSent >= 1000)
            {
                Send(s, "H\n");
            }
        }

        foreach (var (peer, at) in _reconnectAt.ToArray())
        {
            if (at <= now && !_sessions.Values.Any(x => x.Peer == peer))
            {
                var id = _nextId++;
                _sessions[id] = new Session(id, peer, true) { LastRecv = now, LastSent = now };
                _reconnectAt[peer] = now + 5000;
                _actions.Enqueue(SimNodeAction.Connect(id, peer));
            }
        }
    }

    public bool TryDequeueAction(out SimNodeAction action) => _actions.TryDequeue(out action);

    public int DrainOutput(int connection, IBufferWriter<byte> destination, int maxBytes)
    {
        if (!_sessions.TryGetValue(connection, out var s) || s.Output.Count == 0)
        {
            return 0;
        }

        var n = Math.Min(maxBytes, s.Output.Count);
        var span = destination.GetSpan(n);
        for (var i = 0; i < n; i++)
        {
            span[i] = s.Output[i];
        }

        s.Output.RemoveRange(0, n);
        destination.Advance(n);
        return n;
    }

    public void Apply(SimWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var id = write.KeyId;
        if (!_entries.TryGetValue(id, out var e))
        {
            _entries[id] = e = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        var field = $"{write.Type}[{write.Index}]";
        e[field] = write.Kind switch
        {
            SimWriteKind.SetNumber => write.Value.ToString(CultureInfo.InvariantCulture),
            SimWriteKind.SetText => write.Text!,
            _ => (ulong.Parse(e.GetValueOrDefault(field, "0"), CultureInfo.InvariantCulture) + write.Value).ToString(CultureInfo.InvariantCulture),
        };
        _local.Add(id);
        foreach (var s in _sessions.Values)
        {
            if (s.Ready && !(LosePushes && _rnd.Next(5) == 0))
            {
                Push(s, id);
            }
        }
    }

    public string? ReadEntry(string table, ReadOnlySpan<byte> key) =>
        _entries.TryGetValue(table + "|" + Convert.ToHexString(key), out var e) ? Canonical(e) : null;

    public IReadOnlyDictionary<string, string> Snapshot() => _entries.ToDictionary(kv => kv.Key, kv => Canonical(kv.Value), StringComparer.Ordinal);

    public IEnumerable<SimSessionInfo> Sessions() => [];

    public IReadOnlyList<string> TakeProblems() => [];

    public IEnumerable<string> EndOfRunProblems() => [];

    public void Dispose()
    {
    }

    private static string Canonical(SortedDictionary<string, string> e) => string.Join(';', e.Select(kv => kv.Key + "=" + kv.Value));

    private bool Handle(Session s, string line)
    {
        if (line.StartsWith("HELLO ", StringComparison.Ordinal) && !s.Outbound)
        {
            var peer = line[6..];
            if (!_reconnectAt.ContainsKey(peer))
            {
                Drop(s);
                return false;
            }

            foreach (var old in _sessions.Values.Where(x => x.Peer == peer && x != s).ToArray())
            {
                Drop(old);
            }

            s.Peer = peer;
            s.Ready = true;
            Send(s, "OK\n");
            PushAll(s);
        }
        else if (line == "OK" && s.Outbound)
        {
            s.Ready = true;
            PushAll(s);
        }
        else if (line.StartsWith("S ", StringComparison.Ordinal) && s.Ready)
        {
            var parts = line.Split(' ', 3);
            _entries[parts[1]] = new SortedDictionary<string, string>(
                parts[2].Split(';').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]), StringComparer.Ordinal);
        }

        return true;
    }

    private void PushAll(Session s)
    {
        foreach (var id in _local)
        {
            Push(s, id);
        }
    }

    private void Push(Session s, string id) => Send(s, $"S {id} {Canonical(_entries[id])}\n");

    private void Send(Session s, string text)
    {
        s.Output.AddRange(Encoding.ASCII.GetBytes(text));
        s.LastSent = Now;
    }

    private void Drop(Session s)
    {
        if (_sessions.ContainsKey(s.Id) && !s.Closing)
        {
            s.Closing = true;
            s.Ready = false;
            _actions.Enqueue(SimNodeAction.Close(s.Id));
        }
    }

    private sealed class Session(int id, string? peer, bool outbound)
    {
        public int Id { get; } = id;

        public string? Peer { get; set; } = peer;

        public bool Outbound { get; } = outbound;

        public bool Ready { get; set; }

        public bool Closing { get; set; }

        public long LastRecv { get; set; }

        public long LastSent { get; set; }

        public List<byte> Output { get; } = [];
    }
}
