// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>
/// <c>#@stickpeer aggregate &lt;output&gt; from &lt;source&gt; [&lt;source&gt;...]</c> in a peers
/// section (docs/aggregation.md): table names as written (resolved in <see cref="PeersSection"/>).
/// </summary>
public sealed record AggregateDefinition(string PeersSection, string Output, IReadOnlyList<string> Sources, ConfigLocation Location)
{
    /// <summary>The output table's local name (<c>section/name</c>).</summary>
    public string OutputLocalName => $"{PeersSection}/{Output}";

    /// <summary>The sources' local names.</summary>
    public IEnumerable<string> SourceLocalNames => Sources.Select(s => $"{PeersSection}/{s}");
}
