// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Hostile;

/// <summary>The peers section the hostile-input tests share.</summary>
internal static class HostileMesh
{
    /// <summary>
    /// Section <c>mesh</c> with one string table: a (the node under test) on the first port, b (the
    /// raw or misbehaving peer) on the second, c on the third when there is one.
    /// </summary>
    public static string Config(int[] ports, string store = "gpc0", string size = "1k")
    {
        string[] names = ["a", "b", "c"];
        var peers = string.Concat(ports.Take(names.Length).Select((port, i) => $"    peer {names[i]} 127.0.0.1:{port}\n"));
        return $"peers mesh\n{peers}backend web\n    stick-table type string len 32 size {size} expire 1h store {store} peers mesh\n";
    }
}
