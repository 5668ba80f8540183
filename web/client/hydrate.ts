import { type ComponentType, h, hydrate } from 'preact';

/** Hydrates every server-rendered instance of one island with the props it was rendered with. */
export function hydrateIslands(name: string, island: ComponentType<object> & { inner?: ComponentType<object> }) {
  const Component = island.inner ?? island;
  for (const element of document.querySelectorAll<HTMLElement>(`crm-island[data-island="${name}"]`)) {
    const props = JSON.parse(element.dataset.props ?? '{}') as object;
    hydrate(h(Component, props), element);
  }
}
