// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>A <c>stats socket</c> line: a UNIX socket path or a TCP endpoint, with its CLI level.</summary>
public sealed record StatsSocketDefinition(
    string? Path,
    ConfigEndpoint? Endpoint,
    string Level,
    int? Mode,
    ConfigLocation Location)
{
    public override string ToString() => Path is not null ? Path : $"ipv4@{Endpoint}";
}
