// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Stickpeer.Node.Transport;
using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>What a node factory gets to build one incarnation of one simulated node.</summary>
/// <param name="Index">The node's index (0..N-1).</param>
/// <param name="Name">Its local peer name.</param>
/// <param name="PeerNames">Every peer name of the section, itself included, in configuration order.</param>
/// <param name="Tables">The tables it shares.</param>
/// <param name="Time">The simulation's clock (shared by every node and table).</param>
/// <param name="Seed">Seed for the node's own random decisions (collision back-off …).</param>
/// <param name="Incarnation">0 for the first start, +1 per restart (use it as a pid).</param>
/// <param name="Previous">On a restart that keeps tables: the dead incarnation, to take its tables from.</param>
/// <param name="Transport">This incarnation's network: listen and connect by peer name.</param>
/// <param name="ProcessClock">The clock for this incarnation's timers (they die with it).</param>
/// <param name="Loggers">This incarnation's loggers: an error logged is a violation.</param>
/// <param name="WrapCounters">Start table update counters just below 2^32 (exercises id wrap-around).</param>
/// <param name="TraceKey">Key trace filter (<c>STICKPEER_SIM_KEY</c>): a substring of a key id (<c>/table|HEX</c>); null = off.</param>
/// <param name="KeyTrace">Receives key-trace lines: the node's connection id (-1 = none) and the text.</param>
internal sealed record SimNodeContext(
    int Index,
    string Name,
    IReadOnlyList<string> PeerNames,
    IReadOnlyList<TableSchema> Tables,
    TimeProvider Time,
    int Seed,
    int Incarnation,
    ISimNode? Previous,
    IPeerTransport Transport,
    TimeProvider ProcessClock,
    ILoggerFactory Loggers,
    bool WrapCounters = false,
    string? TraceKey = null,
    Action<int, string>? KeyTrace = null);
