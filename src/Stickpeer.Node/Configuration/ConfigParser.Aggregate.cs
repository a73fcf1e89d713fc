// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Stickpeer-only directives written as HAProxy comments (<c>#@stickpeer ...</c>), so a file that
/// carries them still loads in HAProxy unchanged: HAProxy skips the line, Stickpeer reads it.
/// </summary>
public sealed partial class ConfigParser
{
    /// <summary>The prefix of a Stickpeer directive line (after leading blanks).</summary>
    public const string DirectivePrefix = "#@stickpeer";

    private readonly List<AggregateDefinition> _aggregates = [];

    /// <summary>True (with the text after the prefix) when <paramref name="line"/> is a Stickpeer directive.</summary>
    private static bool TryStripDirective(string line, out string rest)
    {
        var trimmed = line.AsSpan().TrimStart(" \t");
        if (trimmed.StartsWith(DirectivePrefix, StringComparison.Ordinal)
            && (trimmed.Length == DirectivePrefix.Length || trimmed[DirectivePrefix.Length] is ' ' or '\t' or '\r'))
        {
            rest = trimmed[DirectivePrefix.Length..].ToString();
            return true;
        }

        rest = string.Empty;
        return false;
    }

    private void ParseDirective(string text, ConfigLocation location)
    {
        if (!ConfigTokenizer.TryTokenize(text, _environment, out var words, out var error))
        {
            throw new ConfigurationException(location, error!);
        }

        if (words.Count == 0)
        {
            throw new ConfigurationException(location, $"'{DirectivePrefix}' expects a directive (aggregate)");
        }

        switch (words[0])
        {
            case "aggregate":
                ParseAggregate(words, location);
                break;
            default:
                throw new ConfigurationException(location, $"unknown {DirectivePrefix} directive '{words[0]}' (expected aggregate)");
        }
    }

    private void ParseAggregate(List<string> words, ConfigLocation location)
    {
        if (_sectionKind != "peers" || _currentPeers is null)
        {
            throw new ConfigurationException(location, "'aggregate' is only valid in a peers section");
        }

        if (words.Count < 4 || words[2] != "from")
        {
            throw new ConfigurationException(location, "'aggregate' expects '<output table> from <source table> [<source table>...]'");
        }

        var output = words[1];
        var sources = words.Skip(3).ToList();
        if (sources.Contains(output))
        {
            throw new ConfigurationException(location, $"'aggregate': table '{output}' cannot be its own source");
        }

        if (sources.Distinct(StringComparer.Ordinal).Count() != sources.Count)
        {
            throw new ConfigurationException(location, "'aggregate': a source table is named twice");
        }

        _aggregates.Add(new AggregateDefinition(_currentPeers.Name, output, sources, location));
    }
}
