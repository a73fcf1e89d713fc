// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Session;

namespace Stickpeer.Node.Replication;

/// <summary>State of one remote peer, for <c>show peers</c>.</summary>
public sealed record PeerSnapshot
{
    /// <summary>The peer name.</summary>
    public required string Name { get; init; }

    /// <summary>The session state, or null when the peer has no session.</summary>
    public PeerSessionState? SessionState { get; init; }

    /// <summary>The current connection, if any.</summary>
    public ConnectionId? Connection { get; init; }

    /// <summary>True when the current connection is outbound.</summary>
    public bool Outbound { get; init; }

    /// <summary>Generation of the established session (0 when none).</summary>
    public long Generation { get; init; }

    /// <summary>Last status code (0, 100 CONN, 110 HSHK, 200 ESTA, 300 RETR, 501 PROT, 502 VERS, 503 NAME, 504 UNKN).</summary>
    public int LastStatus { get; init; }

    /// <summary>HAProxy's name for <see cref="LastStatus"/>.</summary>
    public string LastStatusName => LastStatus switch
    {
        100 => "CONN",
        110 => "HSHK",
        200 => "ESTA",
        300 => "RETR",
        501 => "PROT",
        502 => "VERS",
        503 => "NAME",
        504 => "UNKN",
        _ => "NONE",
    };

    /// <summary>True after a 50x: we do not reconnect, we wait for the peer.</summary>
    public bool NoRetry { get; init; }

    /// <summary>Time until the next outbound attempt (null when a session exists or retries are off).</summary>
    public TimeSpan? ReconnectIn { get; init; }

    /// <summary>True while we learn from this session.</summary>
    public bool Learning { get; init; }

    /// <summary>True while we teach this session (until <c>00 03</c>).</summary>
    public bool Teaching { get; init; }

    /// <summary>True when this peer answered PARTIAL in its current session.</summary>
    public bool NotUpToDate { get; init; }

    /// <summary>Time since the last session with this peer was established (null: never).</summary>
    public TimeSpan? SinceHandshake { get; init; }

    /// <summary>Time until the current session sends its next heartbeat (null: no established session).</summary>
    public TimeSpan? HeartbeatIn { get; init; }

    /// <summary>Outbound connection attempts.</summary>
    public long ConnectAttempts { get; init; }

    /// <summary>Sessions established.</summary>
    public long SessionsEstablished { get; init; }

    /// <summary>Sessions replaced by a newer one from the same peer.</summary>
    public long Collisions { get; init; }

    /// <summary>Times pushes to the peer paused because it left too many updates unacknowledged.</summary>
    public long PushWindowStalls { get; init; }

    /// <summary>ACKs ignored because they named an id we never sent in that session.</summary>
    public long ImpossibleAcks { get; init; }

    /// <summary>Sessions ended by a protocol error we detected.</summary>
    public long ProtocolErrors { get; init; }

    /// <summary>Sessions ended because the peer stayed silent.</summary>
    public long DeadPeerTimeouts { get; init; }

    /// <summary>Lessons we sent to this peer (end marker sent).</summary>
    public long LessonsTaught { get; init; }

    /// <summary>Lesson updates skipped because the key had changed locally during the lesson.</summary>
    public long LessonUpdatesKeptLocal { get; init; }

    /// <summary>Counters of the current session (null when none).</summary>
    public PeerSessionCounters? SessionCounters { get; init; }

    /// <summary>Traffic of every session with this peer since the node started, the current one included.</summary>
    public PeerTrafficTotals Traffic { get; init; } = PeerTrafficTotals.Zero;

    /// <summary>Sessions with this peer that ended, by why they ended (protocol error, dead peer, collision, …).</summary>
    public IReadOnlyDictionary<SessionCloseReason, long> SessionEnds { get; init; } = new Dictionary<SessionCloseReason, long>();

    /// <summary>Sessions ended by a protocol error we detected, by what was malformed.</summary>
    public IReadOnlyDictionary<Stickpeer.Protocol.Errors.ProtocolError, long> ProtocolErrorKinds { get; init; } = new Dictionary<Stickpeer.Protocol.Errors.ProtocolError, long>();

    /// <summary>
    /// Table definitions of the peer that were ignored, by reason: <c>key_mismatch</c> (a table of
    /// ours by that name with another key), or why the DEFINE is unusable (<c>invalid_key_size</c>,
    /// <c>invalid_array_length</c>, … the <c>DefineIgnoreReason</c> in snake case).
    /// </summary>
    public IReadOnlyDictionary<string, long> TablesIgnored { get; init; } = new Dictionary<string, long>();

    /// <summary>Times the output to the peer made no progress for <see cref="PeerNodeOptions.OutputStallWarning"/> (it stopped reading).</summary>
    public long OutputStalls { get; init; }

    /// <summary>Per-table positions.</summary>
    public required IReadOnlyList<PeerTableSnapshot> Tables { get; init; }
}
