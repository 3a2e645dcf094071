// Shared module patches, out-of-band wake-up watch and process error ownership.
export { patchSharedModules, type SharedModuleRoute } from './sharedModules';
export { VirtualTimer, type RoleTimeSource } from './virtualTimers';
export { type RandomSource } from './seededCrypto';
export { watchWakeUps, wakeUpKinds, type WakeWatch, type WakeWatchOptions } from './wakeWatch';
export {
  ownProcessErrors,
  realProcess,
  roleOfPromiseByRealm,
  type ProcessErrorKind,
  type ProcessErrorRoute,
  type ProcessErrorOwnership,
} from './processErrors';
