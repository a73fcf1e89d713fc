// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using BenchmarkDotNet.Running;
using Stickpeer.Benchmarks.Tables;

if (args is ["table-memory", .. var rest])
{
    // Not a BDN benchmark: memory per entry, HAProxy vs Stickpeer (eng/table-memory.sh).
    TableMemory.Run(rest);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
