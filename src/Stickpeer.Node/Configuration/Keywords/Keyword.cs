// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration.Keywords;

/// <summary>One keyword of an HAProxy grammar: its support, how many argument words follow it, and why it is ignored or refused.</summary>
public sealed record Keyword(string Name, KeywordSupport Support, int Arguments, string? Note);
