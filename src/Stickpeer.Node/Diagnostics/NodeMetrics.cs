// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Stickpeer.Node.Persistence;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Diagnostics;

/// <summary>
/// Observable instruments (meter <c>Stickpeer.Node</c>) over a running node: per peer, per table
/// and per peers section. Nothing is counted on the hot path: each collection reads one
/// <see cref="NodeObservation"/> taken under the host lock, shared by every instrument of that
/// collection (see <see cref="MaxAge"/>). Tags are section, peer, table and small enums, never
/// a key. The catalogue is in docs/observability.md.
/// </summary>
public sealed partial class NodeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Stickpeer.Node";

    /// <summary>
    /// How long one observation serves collections: a scrape reads every instrument within
    /// microseconds, so it takes the lock once, not once per instrument.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(250);

    private readonly StickpeerNode _node;
    private readonly Meter _meter;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private NodeObservation? _last;
    private long _lastAt;

    /// <summary>
    /// Creates the instruments on a meter from <paramref name="meterFactory"/> (or a meter of its
    /// own); with <paramref name="persistence"/>, also those of the data directory.
    /// </summary>
    public NodeMetrics(StickpeerNode node, IMeterFactory? meterFactory = null, NodePersistence? persistence = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
        _time = time ?? TimeProvider.System;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        CreatePeerInstruments();
        CreateTableInstruments();
        CreateResyncInstruments();
        if (persistence is not null)
        {
            CreatePersistenceInstruments(persistence, _time);
        }
    }

    /// <summary>Forgets the cached observation (tests read twice in a row).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _last = null;
        }
    }

    public void Dispose() => _meter.Dispose();

    private void CreatePeerInstruments()
    {
        Gauge("stickpeer.peer.up", "1", "1 while the peer has an established session, else 0.", o => Peers(o, p => p.SessionState == PeerSessionState.Established ? 1 : 0));
        Gauge("stickpeer.peer.session_state", "1", "Session state: -1 none, else the PeerSessionState number (docs/observability.md).", o => Peers(o, p => p.SessionState is { } s ? (long)s : -1));
        Gauge("stickpeer.peer.last_status", "1", "Last handshake status code (0 none, 200 accepted, 50x refused).", o => Peers(o, p => p.LastStatus));
        Counter("stickpeer.peer.connect_attempts", "{connection}", "Outbound connection attempts.", o => Peers(o, p => p.ConnectAttempts));
        Counter("stickpeer.peer.sessions", "{session}", "Sessions established.", o => Peers(o, p => p.SessionsEstablished));
        Counter("stickpeer.peer.reconnects", "{session}", "Sessions established after the first one.", o => Peers(o, p => Math.Max(0, p.SessionsEstablished - 1)));
        Counter("stickpeer.peer.collisions", "{session}", "Sessions replaced by a newer one from the same peer.", o => Peers(o, p => p.Collisions));
        Counter("stickpeer.peer.push_window_stalls", "{event}", "Times pushes to the peer paused because it left MaxUnackedUpdates updates unacknowledged.", o => Peers(o, p => p.PushWindowStalls));
        Counter("stickpeer.peer.output_stalls", "{event}", "Times the peer read nothing for OutputStallWarning while output waited for it (it stopped reading).", o => Peers(o, p => p.OutputStalls));
        Counter("stickpeer.peer.tables_ignored", "{definition}", "Table definitions of the peer ignored, by reason (key_mismatch, invalid_key_size, invalid_array_length, ...).", TablesIgnored);
        Counter("stickpeer.peer.heartbeat_timeouts", "{session}", "Sessions closed because the peer stayed silent (missed heartbeats).", o => Peers(o, p => p.DeadPeerTimeouts));
        Counter("stickpeer.peer.lessons_taught", "{lesson}", "Full resyncs taught to the peer.", o => Peers(o, p => p.LessonsTaught));
        Counter("stickpeer.peer.protocol_errors", "{session}", "Sessions ended by a protocol error we detected, by reason.", o => PeerEnds(o, s_protocolReasons));
        Counter("stickpeer.peer.protocol_errors_by_kind", "{session}", "Sessions ended by a protocol error we detected, by what was malformed (kind).", ProtocolErrorKinds);
        Counter("stickpeer.peer.session_ends", "{session}", "Connections of the peer that ended (established or not), by reason.", o => PeerEnds(o, null));
        Counter("stickpeer.peer.traffic", "By", "Bytes to and from the peer (after TLS in, before TLS out), by direction.", o => PeerTraffic(o, t => t.BytesIn, t => t.BytesOut));
        Counter("stickpeer.peer.heartbeats", "{message}", "Heartbeats, by direction.", o => PeerTraffic(o, t => t.HeartbeatsIn, t => t.HeartbeatsOut));
        Counter("stickpeer.peer.updates", "{update}", "Entry updates learned from (in) and pushed to (out) the peer.", o => PeerTraffic(o, t => t.UpdatesIn, t => t.UpdatesOut));
        Counter("stickpeer.peer.messages_received", "{message}", "Messages received after the handshake.", o => Peers(o, p => p.Traffic.MessagesIn));
        Counter("stickpeer.peer.messages_sent", "{message}", "Messages queued for the peer after the handshake.", o => Peers(o, p => p.Traffic.MessagesOut));
        Gauge("stickpeer.peer.ack_lag", "{update}", "Updates pushed to the peer and not acknowledged yet, per table.", AckLag);
    }

    private void CreateTableInstruments()
    {
        Gauge("stickpeer.table.size", "{entry}", "Configured table size.", o => Tables(o, t => t.Size));
        Gauge("stickpeer.table.used", "{entry}", "Entries in the table.", o => Tables(o, t => t.Used));
        Gauge("stickpeer.table.update_log_depth", "{record}", "Records in the table's update log (local changes peers may still need).", o => Tables(o, t => t.UpdateLogDepth));
        Counter("stickpeer.table.updates_learned", "{update}", "Updates from peers applied.", o => Tables(o, t => t.Learned));
        Counter("stickpeer.table.updates_taught", "{update}", "Updates sent to peers (pushes and lessons, every peer).", o => Tables(o, t => t.Taught));
        Counter("stickpeer.table.updates_kept_local", "{update}", "Updates from peers not applied because the key changed locally since.", o => Tables(o, t => t.KeptLocal));
        Counter("stickpeer.table.updates_refused_full", "{update}", "Updates from peers dropped because the table was full.", o => Tables(o, t => t.RefusedFull));
    }

    private void CreateResyncInstruments()
    {
        Gauge("stickpeer.resync.finished", "1", "1 once the section's initial resync is done or given up, 0 while learning.", o => Sections(o, s => s.Finished ? 1 : 0));
        Counter("stickpeer.resync.lessons_completed", "{lesson}", "Lessons received to their end marker.", o => Sections(o, s => s.LessonsCompleted));
        Counter("stickpeer.resync.lessons_aborted", "{lesson}", "Lessons whose session ended before the end marker.", o => Sections(o, s => s.LessonsAborted));
        Counter("stickpeer.section.handshakes_abandoned", "{connection}", "Connections closed before their handshake completed, by reason (timeout, unreadable_hello).", AbandonedHandshakes);
        _meter.CreateObservableGauge(
            "stickpeer.resync.duration",
            () => Current().Sections.Where(s => s.Duration is not null).Select(s => new Measurement<double>(s.Duration!.Value.TotalSeconds, Tag("section", s.Name))),
            "s",
            "Time from start to the end of the initial resync (absent while learning).");
    }

    private static readonly SessionCloseReason[] s_protocolReasons = [SessionCloseReason.ProtocolError, SessionCloseReason.SizeLimit];

    private void Gauge(string name, string unit, string description, Func<NodeObservation, IEnumerable<Measurement<long>>> read) =>
        _meter.CreateObservableGauge(name, () => read(Current()), unit, description);

    private void Counter(string name, string unit, string description, Func<NodeObservation, IEnumerable<Measurement<long>>> read) =>
        _meter.CreateObservableCounter(name, () => read(Current()), unit, description);

    private static IEnumerable<Measurement<long>> Peers(NodeObservation o, Func<Replication.PeerSnapshot, long> value) =>
        o.Peers.Select(p => new Measurement<long>(value(p.Peer), PeerTags(p)));

    private static IEnumerable<Measurement<long>> PeerTraffic(NodeObservation o, Func<Replication.PeerTrafficTotals, long> inbound, Func<Replication.PeerTrafficTotals, long> outbound) =>
        o.Peers.SelectMany(p => new[]
        {
            new Measurement<long>(inbound(p.Peer.Traffic), [.. PeerTags(p), Tag("direction", "in")]),
            new Measurement<long>(outbound(p.Peer.Traffic), [.. PeerTags(p), Tag("direction", "out")]),
        });

    private static IEnumerable<Measurement<long>> PeerEnds(NodeObservation o, SessionCloseReason[]? only) =>
        o.Peers.SelectMany(p => p.Peer.SessionEnds
            .Where(kv => only is null || only.Contains(kv.Key))
            .Select(kv => new Measurement<long>(kv.Value, [.. PeerTags(p), Tag("reason", ReasonName(kv.Key))])));

    private static IEnumerable<Measurement<long>> ProtocolErrorKinds(NodeObservation o) =>
        o.Peers.SelectMany(p => p.Peer.ProtocolErrorKinds
            .Select(kv => new Measurement<long>(kv.Value, [.. PeerTags(p), Tag("kind", SnakeCase(kv.Key.ToString()))])));

    private static IEnumerable<Measurement<long>> TablesIgnored(NodeObservation o) =>
        o.Peers.SelectMany(p => p.Peer.TablesIgnored
            .Select(kv => new Measurement<long>(kv.Value, [.. PeerTags(p), Tag("reason", kv.Key)])));

    // "TooManyTables" -> "too_many_tables": label values in Prometheus's usual style.
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private static IEnumerable<Measurement<long>> AckLag(NodeObservation o) =>
        o.Peers.SelectMany(p => p.Peer.Tables.Select(t => new Measurement<long>(t.AckLag, [.. PeerTags(p), Tag("table", t.Table)])));

    private static IEnumerable<Measurement<long>> Tables(NodeObservation o, Func<TableObservation, long> value) =>
        o.Tables.Select(t => new Measurement<long>(value(t), Tag("table", t.Name)));

    private static IEnumerable<Measurement<long>> Sections(NodeObservation o, Func<SectionObservation, long> value) =>
        o.Sections.Select(s => new Measurement<long>(value(s), Tag("section", s.Name)));

    private static IEnumerable<Measurement<long>> AbandonedHandshakes(NodeObservation o) =>
        o.Sections.SelectMany(s => new[]
        {
            new Measurement<long>(s.HandshakeTimeouts, Tag("section", s.Name), Tag("reason", "timeout")),
            new Measurement<long>(s.UnreadableHandshakes, Tag("section", s.Name), Tag("reason", "unreadable_hello")),
        });

    private static KeyValuePair<string, object?>[] PeerTags(PeerObservation p) => [Tag("section", p.Section), Tag("peer", p.Peer.Name)];

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    /// <summary><c>ProtocolError</c> → <c>protocol_error</c>: Prometheus label values in the style of the metric names.</summary>
    private static string ReasonName(SessionCloseReason reason) => reason switch
    {
        SessionCloseReason.None => "none",
        SessionCloseReason.HandshakeRejected => "handshake_rejected",
        SessionCloseReason.StatusRejected => "status_rejected",
        SessionCloseReason.HandshakeFailed => "handshake_failed",
        SessionCloseReason.ProtocolError => "protocol_error",
        SessionCloseReason.SizeLimit => "size_limit",
        SessionCloseReason.RemoteError => "remote_error",
        SessionCloseReason.PeerDead => "peer_dead",
        SessionCloseReason.Local => "local",
        SessionCloseReason.TransportClosed => "transport_closed",
        SessionCloseReason.InternalError => "internal_error",
        _ => "other",
    };

    private NodeObservation Current()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_last is null || _time.GetElapsedTime(_lastAt, now) > MaxAge)
            {
                _last = NodeObservation.Take(_node);
                _lastAt = now;
            }

            return _last;
        }
    }
}
