export { discoverFlux, type FluxDiscoverOptions, type FluxDiscovery } from './discover.js'
export type { FluxObjects, ImageUpdateAutomationObject } from './objects/model.js'
export { mightMatterToFluxBytes } from './screen.js'
