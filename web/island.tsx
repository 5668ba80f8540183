import { type ComponentType, h, type VNode } from 'preact';

/**
 * Islands used by the page being rendered. renderToString is synchronous, so one module-level collector set just
 * before a render and read just after cannot mix two requests up.
 */
let collecting: Set<string> | null = null;

export function collectIslands<T>(render: () => T): { result: T; islands: string[] } {
  const previous = collecting;
  collecting = new Set();
  try {
    const result = render();
    return { result, islands: [...collecting] };
  } finally {
    collecting = previous;
  }
}

export type Island<P> = ((props: P) => VNode) & { islandName: string; inner: ComponentType<P> };

/**
 * Marks a component as an island (Fresh's convention, done explicitly): on the server it renders inside a
 * `<crm-island>` element carrying its name and JSON props, and the page loads that island's script, which hydrates
 * the same component there. Props must therefore be JSON-serialisable.
 */
export function island<P extends object>(name: string, Component: ComponentType<P>): Island<P> {
  const Wrapped = ((props: P) => {
    collecting?.add(name);
    const attributes = { 'data-island': name, 'data-props': JSON.stringify(props) };
    return h('crm-island', attributes, h(Component as ComponentType<object>, props));
  }) as unknown as Island<P>;
  Wrapped.islandName = name;
  Wrapped.inner = Component;
  return Wrapped;
}
