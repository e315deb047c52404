import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLSchema,
  valueFromASTUntyped,
} from "graphql";

// Shopify's calculated query cost, statically: scalars and enums 0, objects 1, connections 2 plus `first` (or
// `last`) times the cost of one node, each mutation field 10.
function isConnection(typeName: string): boolean {
  return typeName.endsWith("Connection");
}

function argumentNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | null {
  const argument = field.arguments?.find((candidate) => candidate.name.value === name);
  if (!argument) return null;
  const value = valueFromASTUntyped(argument.value, variables);
  return typeof value === "number" ? value : null;
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  function selectionCost(selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType): number {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        total += selectionCost(selection.selectionSet, isCompositeType(condition) ? condition : parent);
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment ? schema.getType(fragment.typeCondition.name.value) : null;
        if (fragment && isCompositeType(condition)) total += selectionCost(fragment.selectionSet, condition);
      }
    }
    return total;
  }

  function fieldCost(field: FieldNode, parent: GraphQLCompositeType): number {
    if (!(isObjectType(parent) || isInterfaceType(parent))) return 0;
    const definition = parent.getFields()[field.name.value];
    if (!definition) return 0;
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return 0;
    const children = selectionCost(field.selectionSet, type);
    if (isConnection(type.name)) {
      const size = argumentNumber(field, "first", variables) ?? argumentNumber(field, "last", variables) ?? 1;
      const nodes = field.selectionSet?.selections.find(
        (selection) =>
          selection.kind === Kind.FIELD &&
          (selection.name.value === "nodes" || selection.name.value === "edges"),
      );
      const perNode = nodes && nodes.kind === Kind.FIELD ? fieldCostOfList(nodes, type) : children;
      return 2 + size * perNode;
    }
    return 1 + children;
  }

  // Inside a connection, `nodes`/`edges` count once per node; their own wrapper is free.
  function fieldCostOfList(field: FieldNode, connection: GraphQLCompositeType): number {
    if (!isObjectType(connection)) return 0;
    const definition = connection.getFields()[field.name.value];
    const type = definition ? getNamedType(definition.type) : null;
    return type && isCompositeType(type) ? 1 + selectionCost(field.selectionSet, type) : 0;
  }

  if (operation.operation === "mutation") {
    return operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD).length * 10;
  }
  const root = schema.getQueryType() as GraphQLObjectType;
  return Math.max(1, selectionCost(operation.selectionSet, root));
}
