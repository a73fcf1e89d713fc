// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Protocol.Model;

/// <summary>
/// Stick-table data types. The numeric value is HAProxy's data type id, which is also the
/// bit number in a DEFINE bitmask and the order in which values travel in an update.
/// </summary>
public enum StickDataType : byte
{
    /// <summary>Server id (signed 32-bit).</summary>
    ServerId = 0,
    /// <summary>General purpose tag 0.</summary>
    Gpt0 = 1,
    /// <summary>General purpose counter 0.</summary>
    Gpc0 = 2,
    /// <summary>Rate of general purpose counter 0.</summary>
    Gpc0Rate = 3,
    /// <summary>Cumulative connection count.</summary>
    ConnCnt = 4,
    /// <summary>Connection rate.</summary>
    ConnRate = 5,
    /// <summary>Concurrent connections (local only: sent but ignored on receipt).</summary>
    ConnCur = 6,
    /// <summary>Cumulative session count.</summary>
    SessCnt = 7,
    /// <summary>Session rate.</summary>
    SessRate = 8,
    /// <summary>Cumulative HTTP request count.</summary>
    HttpReqCnt = 9,
    /// <summary>HTTP request rate.</summary>
    HttpReqRate = 10,
    /// <summary>Cumulative HTTP error count.</summary>
    HttpErrCnt = 11,
    /// <summary>HTTP error rate.</summary>
    HttpErrRate = 12,
    /// <summary>Cumulative bytes received (64-bit).</summary>
    BytesInCnt = 13,
    /// <summary>Rate of bytes received.</summary>
    BytesInRate = 14,
    /// <summary>Cumulative bytes sent (64-bit).</summary>
    BytesOutCnt = 15,
    /// <summary>Rate of bytes sent.</summary>
    BytesOutRate = 16,
    /// <summary>General purpose counter 1.</summary>
    Gpc1 = 17,
    /// <summary>Rate of general purpose counter 1.</summary>
    Gpc1Rate = 18,
    /// <summary>Server key (string through the per-session dictionary cache).</summary>
    ServerKey = 19,
    /// <summary>Cumulative HTTP failure count.</summary>
    HttpFailCnt = 20,
    /// <summary>HTTP failure rate.</summary>
    HttpFailRate = 21,
    /// <summary>Array of general purpose tags.</summary>
    Gpt = 22,
    /// <summary>Array of general purpose counters.</summary>
    Gpc = 23,
    /// <summary>Array of general purpose counter rates.</summary>
    GpcRate = 24,
    /// <summary>Cumulative count of protocol glitches (HAProxy 3.0+).</summary>
    GlitchCnt = 25,
    /// <summary>Rate of protocol glitches (HAProxy 3.0+).</summary>
    GlitchRate = 26,
}
