// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Tables.Declaration;

namespace Stickpeer.Node.Configuration;

/// <summary>
/// A stick table shared through a peers section: either <c>table</c> in a <c>peers</c> section
/// (local name <c>section/name</c>, wire name <c>/name</c>) or <c>stick-table ... peers</c> in a proxy
/// (both names are the proxy's name). <see cref="Declaration"/> is parsed once, when the configuration is read.
/// </summary>
public sealed record TableDefinition(
    string LocalName,
    string WireName,
    string PeersSection,
    IReadOnlyList<string> DeclarationTokens,
    StickTableDeclaration Declaration,
    ConfigLocation Location);
