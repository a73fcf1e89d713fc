// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Haproxy;

/// <summary>How to start one <see cref="HaproxyProcess"/>.</summary>
public sealed record HaproxyOptions
{
    /// <summary>The local peer name (<c>-L</c>).</summary>
    public required string LocalPeerName { get; init; }

    /// <summary>
    /// Builds the configuration after the generated <c>global</c> section (defaults, peers,
    /// proxies) from the process's fresh work directory (to place certificates or sockets there).
    /// </summary>
    public required Func<string, string> Config { get; init; }

    /// <summary>Extra lines for the <c>global</c> section (indented by the caller or not).</summary>
    public IReadOnlyList<string> GlobalLines { get; init; } = [];

    /// <summary>Files to write into the work directory before start (name → content).</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for the stats socket to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
