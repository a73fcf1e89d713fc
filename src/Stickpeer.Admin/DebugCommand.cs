// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime;

namespace Stickpeer.Admin;

/// <summary>
/// <c>debug gc</c> (admin level): a blocking, compacting full collection, then the managed heap size.
/// It exists so memory per entry can be measured without the garbage of the commands that filled
/// the table (eng/e2e-bench.sh); HAProxy has no garbage, so its RSS needs no such step.
/// </summary>
internal static class DebugCommand
{
    public static string Gc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return string.Create(CultureInfo.InvariantCulture, $"heap {GC.GetTotalMemory(forceFullCollection: false)} bytes after a full compacting collection\n");
    }
}
