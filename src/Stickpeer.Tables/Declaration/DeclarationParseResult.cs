// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Stickpeer.Tables.Declaration;

/// <summary>Result of <see cref="StickTableDeclaration.Parse"/>: a declaration, or an error message naming the problem.</summary>
public sealed class DeclarationParseResult
{
    private DeclarationParseResult(StickTableDeclaration? declaration, string? error)
    {
        Declaration = declaration;
        Error = error;
    }

    /// <summary>The declaration when parsing succeeded.</summary>
    public StickTableDeclaration? Declaration { get; }

    /// <summary>The error message when parsing failed (without file:line; the caller adds it).</summary>
    public string? Error { get; }

    /// <summary>True when <see cref="Declaration"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Declaration))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Declaration is not null;

    internal static DeclarationParseResult Ok(StickTableDeclaration declaration) => new(declaration, null);

    internal static DeclarationParseResult Fail(string error) => new(null, error);
}
