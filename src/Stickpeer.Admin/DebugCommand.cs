// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime;

namespace Stickpeer.Admin;

/// <summary>
/// <c>debug gc</c> (admin level): a blocking, compacting full collection, then the managed heap size.
/// It exists so memory per entry can be measured without the garbage of the commands that filled
/// the table (eng/e2e-bench.sh); HAProxy has no garbage, so its RSS needs no such step. The second
/// line gives the bytes allocated since the start and the collections per generation: allocated
/// bytes over gen0 collections is the gen0 budget the GC works with (a few forced collections
/// aside), which is most of what a small table's RSS holds above its heap, so an operator can check
/// that the budget compiled into the binary or set in the environment took effect
/// (docs/operations.md, "Memory").
/// </summary>
internal static class DebugCommand
{
    public static string Gc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"heap {GC.GetTotalMemory(forceFullCollection: false)} bytes after a full compacting collection\n" +
            $"gc: allocated {GC.GetTotalAllocatedBytes()} bytes, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, committed {GC.GetGCMemoryInfo().TotalCommittedBytes} bytes\n");
    }
}
