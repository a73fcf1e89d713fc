// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Transport;

/// <summary>Configurations for nodes over the in-memory transport (the addresses never reach a socket).</summary>
internal static class InMemoryConfigs
{
    /// <summary>Peers a and b, one string table with gpc0 shared through section <c>mesh</c>.</summary>
    public const string TwoPeersStringTable = """
        peers mesh
            peer a 10.0.0.1:1024
            peer b 10.0.0.2:1024
        backend web
            stick-table type string len 32 size 1k expire 1h store gpc0 peers mesh

        """;
}
