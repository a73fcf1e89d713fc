// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using BenchmarkDotNet.Running;
using Stickpeer.Benchmarks.Mesh;
using Stickpeer.Benchmarks.Persistence;
using Stickpeer.Benchmarks.Session;
using Stickpeer.Benchmarks.Sockets;
using Stickpeer.Benchmarks.Tables;

if (args is ["table-memory", .. var rest])
{
    // Not a BDN benchmark: memory per entry, HAProxy vs Stickpeer (eng/table-memory.sh).
    TableMemory.Run(rest);
}
else if (args is ["pair-profile", .. var profileArgs])
{
    // Not a BDN benchmark: a phase-by-phase Stopwatch breakdown of the full resync.
    PairProfile.Run(profileArgs);
}
else if (args is ["resync-bench", .. var resyncArgs])
{
    // Not a BDN benchmark: full resync between two real processes (eng/resync-bench.sh).
    ResyncBench.Run(resyncArgs);
}
else if (args is ["socket-pair", .. var socketArgs])
{
    // Not a BDN benchmark: two in-process StickpeerNodes over loopback TCP.
    await SocketPair.RunAsync(socketArgs);
}
else if (args is ["memory-pair", .. var memoryArgs])
{
    // Not a BDN benchmark: the same two StickpeerNodes over the in-memory transport.
    await SocketPair.RunAsync(memoryArgs, inMemory: true);
}
else if (args is ["mesh", .. var meshArgs])
{
    // Not a BDN benchmark: a full mesh of in-process nodes over loopback TCP (docs/benchmarks.md).
    await MeshBench.RunAsync(meshArgs);
}
else if (args is [FanInHub.Command, .. var hubArgs])
{
    // The hub process of `fanin` (started by it).
    await FanInHub.RunAsync(hubArgs);
}
else if (args is ["fanin", .. var faninArgs])
{
    // Not a BDN benchmark: one node peered with N others that know only it (docs/benchmarks.md).
    await FanInBench.RunAsync(faninArgs);
}
else if (args is ["aggregation-latency", .. var aggregationArgs])
{
    // Not a BDN benchmark: an aggregator and four edge nodes over loopback TCP (docs/aggregation.md).
    await Stickpeer.Benchmarks.Aggregation.AggregationBench.RunAsync(aggregationArgs);
}
else if (args is ["persistence-bench", .. var persistenceArgs])
{
    // Not a BDN benchmark: update throughput per fsync policy and restart load time (docs/persistence.md).
    await PersistenceBench.RunAsync(persistenceArgs);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
