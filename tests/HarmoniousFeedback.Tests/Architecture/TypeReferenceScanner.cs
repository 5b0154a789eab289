using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HarmoniousFeedback.Tests.Architecture;

/// <summary>
/// Reads every type-to-type reference inside one compiled assembly from its metadata (System.Reflection.Metadata, no
/// loading or JIT): base types, interfaces, generic constraints, custom attributes, field types, method signatures,
/// local variable types, and every type, method or field token in method bodies (calls, <c>newobj</c>, field access,
/// casts, <c>typeof</c>, array creation, <c>ldftn</c> …), generic instantiations included. Compiler-generated types
/// (lambda closures, iterators, async state machines) are nested in the type that wrote them, so their references
/// count for that type's namespace. Only references between types defined in the assembly are reported; references
/// to other assemblies (the BCL, packages) are not.
/// </summary>
public static class TypeReferenceScanner
{
    public static IReadOnlyList<TypeReference> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var provider = new TypeCollector(md);
        var found = new HashSet<TypeReference>();

        foreach (var th in md.TypeDefinitions)
        {
            var td = md.GetTypeDefinition(th);
            string from = FullName(md, th), fromNs = NamespaceOf(md, th);
            if (from == "<Module>") continue;
            void Add(string member, IEnumerable<TypeDefinitionHandle> targets)
            {
                foreach (var t in targets)
                    if (t != th) found.Add(new TypeReference(from, fromNs, member, FullName(md, t), NamespaceOf(md, t)));
            }

            if (!td.BaseType.IsNil) Add("base type", provider.FromEntity(td.BaseType));
            foreach (var ih in td.GetInterfaceImplementations())
                Add("interface", provider.FromEntity(md.GetInterfaceImplementation(ih).Interface));
            foreach (var gp in td.GetGenericParameters())
                foreach (var ch in md.GetGenericParameter(gp).GetConstraints())
                    Add("generic constraint", provider.FromEntity(md.GetGenericParameterConstraint(ch).Type));
            Add("attribute", Attributes(md, provider, td.GetCustomAttributes()));

            foreach (var fh in td.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                string member = "field " + md.GetString(f.Name);
                Add(member, f.DecodeSignature(provider, null));
                Add(member + " (attribute)", Attributes(md, provider, f.GetCustomAttributes()));
            }
            foreach (var ph in td.GetProperties())
            {
                var p = md.GetPropertyDefinition(ph);
                string member = "property " + md.GetString(p.Name);
                var sig = p.DecodeSignature(provider, null);
                Add(member, sig.ReturnType.Concat(sig.ParameterTypes.SelectMany(x => x)));
                Add(member + " (attribute)", Attributes(md, provider, p.GetCustomAttributes()));
            }
            foreach (var eh in td.GetEvents())
            {
                var e = md.GetEventDefinition(eh);
                Add("event " + md.GetString(e.Name), provider.FromEntity(e.Type));
            }
            foreach (var mh in td.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                string name = "method " + md.GetString(m.Name);
                var sig = m.DecodeSignature(provider, null);
                Add(name + " (signature)", sig.ReturnType.Concat(sig.ParameterTypes.SelectMany(x => x)));
                Add(name + " (attribute)", Attributes(md, provider, m.GetCustomAttributes()));
                foreach (var parh in m.GetParameters())
                    Add(name + " (parameter attribute)", Attributes(md, provider, md.GetParameter(parh).GetCustomAttributes()));
                foreach (var gp in m.GetGenericParameters())
                    foreach (var ch in md.GetGenericParameter(gp).GetConstraints())
                        Add(name + " (generic constraint)", provider.FromEntity(md.GetGenericParameterConstraint(ch).Type));
                if (m.RelativeVirtualAddress == 0) continue; // abstract, extern, interface member
                var body = pe.GetMethodBody(m.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    var locals = md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                    Add(name + " (locals)", locals.SelectMany(x => x));
                }
                Add(name + " (body)", BodyTokens(body.GetILReader()).SelectMany(provider.FromToken));
            }
        }
        return found.OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.Member, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Full name with nesting: <c>Namespace.Outer+Inner</c>.</summary>
    private static string FullName(MetadataReader md, TypeDefinitionHandle h)
    {
        var td = md.GetTypeDefinition(h);
        var declaring = td.GetDeclaringType();
        if (!declaring.IsNil) return FullName(md, declaring) + "+" + md.GetString(td.Name);
        var ns = md.GetString(td.Namespace);
        return ns.Length == 0 ? md.GetString(td.Name) : ns + "." + md.GetString(td.Name);
    }

    private static string NamespaceOf(MetadataReader md, TypeDefinitionHandle h)
    {
        var td = md.GetTypeDefinition(h);
        while (!td.GetDeclaringType().IsNil) td = md.GetTypeDefinition(td.GetDeclaringType());
        return md.GetString(td.Namespace);
    }

    private static IEnumerable<TypeDefinitionHandle> Attributes(MetadataReader md, TypeCollector provider, CustomAttributeHandleCollection attributes)
    {
        foreach (var ah in attributes)
        {
            var ctor = md.GetCustomAttribute(ah).Constructor;
            foreach (var t in provider.FromToken(MetadataTokens.GetToken(ctor))) yield return t;
        }
    }

    /// <summary>The metadata tokens in a method body's IL (operands of token-taking instructions), in order.</summary>
    private static IEnumerable<int> BodyTokens(BlobReader il)
    {
        var tokens = new List<int>();
        while (il.RemainingBytes > 0)
        {
            var op = (ILOpCode)il.ReadByte();
            if ((int)op == 0xFE) op = (ILOpCode)(0xFE00 | il.ReadByte());
            switch (op)
            {
                case ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Jmp or ILOpCode.Calli
                    or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
                    or ILOpCode.Ldtoken or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst
                    or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Initobj or ILOpCode.Cpobj
                    or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Sizeof or ILOpCode.Mkrefany or ILOpCode.Refanyval
                    or ILOpCode.Constrained or ILOpCode.Ldftn or ILOpCode.Ldvirtftn:
                    tokens.Add(il.ReadInt32());
                    break;
                case ILOpCode.Ldstr or ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4:
                    il.ReadInt32();
                    break;
                case ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8:
                    il.ReadInt64();
                    break;
                case ILOpCode.Switch:
                    int n = il.ReadInt32();
                    for (int i = 0; i < n; i++) il.ReadInt32();
                    break;
                case ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s
                    or ILOpCode.Stloc_s or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or (ILOpCode)0xFE19: // 0xFE19 = no. (ECMA-335 III.2.2)
                    il.ReadByte();
                    break;
                case ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc:
                    il.ReadUInt16();
                    break;
                default:
                    if (op.IsBranch()) il.Offset += op.GetBranchOperandSize();
                    break;
            }
        }
        return tokens;
    }

    /// <summary>Collects the assembly's own type definitions mentioned by a signature, token or entity handle.</summary>
    private sealed class TypeCollector(MetadataReader md) : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly ImmutableArray<TypeDefinitionHandle> None = [];

        public IEnumerable<TypeDefinitionHandle> FromToken(int token) => FromEntity(MetadataTokens.EntityHandle(token));

        public ImmutableArray<TypeDefinitionHandle> FromEntity(EntityHandle h)
        {
            switch (h.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [(TypeDefinitionHandle)h];
                case HandleKind.TypeReference:
                    return None; // another assembly
                case HandleKind.TypeSpecification:
                    return md.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    return [md.GetMethodDefinition((MethodDefinitionHandle)h).GetDeclaringType()];
                case HandleKind.FieldDefinition:
                    return [md.GetFieldDefinition((FieldDefinitionHandle)h).GetDeclaringType()];
                case HandleKind.MemberReference:
                    var mr = md.GetMemberReference((MemberReferenceHandle)h);
                    var parent = FromEntity(mr.Parent);
                    var sig = mr.GetKind() == MemberReferenceKind.Method
                        ? Flatten(mr.DecodeMethodSignature(this, null))
                        : mr.DecodeFieldSignature(this, null);
                    return [.. parent, .. sig];
                case HandleKind.MethodSpecification:
                    var ms = md.GetMethodSpecification((MethodSpecificationHandle)h);
                    return [.. FromEntity(ms.Method), .. ms.DecodeSignature(this, null).SelectMany(x => x)];
                case HandleKind.StandaloneSignature:
                    var ss = md.GetStandaloneSignature((StandaloneSignatureHandle)h);
                    return ss.GetKind() == StandaloneSignatureKind.Method
                        ? Flatten(ss.DecodeMethodSignature(this, null))
                        : [.. ss.DecodeLocalSignature(this, null).SelectMany(x => x)];
                default:
                    return None;
            }
        }

        private static ImmutableArray<TypeDefinitionHandle> Flatten(MethodSignature<ImmutableArray<TypeDefinitionHandle>> s)
            => [.. s.ReturnType, .. s.ParameterTypes.SelectMany(x => x)];

        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments)
            => [.. genericType, .. typeArguments.SelectMany(x => x)];
        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => None;
        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => None;
        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) => Flatten(signature);
        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired)
            => [.. modifier, .. unmodifiedType];
    }
}
