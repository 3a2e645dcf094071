import { MultinodeError } from '../../util';

/** Base class of the cluster singleton's errors; `code` tells them apart. */
export class ClusterSingletonError extends MultinodeError {}

/** A singleton setting is unknown or out of range. Thrown by `resolveSingletonSettings` and `init`. */
export class InvalidSingletonSettingError extends ClusterSingletonError {
  /** The setting's name, e.g. `bufferSize`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_SINGLETON_SETTING', message);
    this.setting = setting;
  }
}

/** An argument of `ClusterSingleton.init` (name, props, role) is invalid. */
export class InvalidSingletonOptionError extends ClusterSingletonError {
  /** The option's name, e.g. `role`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_SINGLETON_OPTION', message);
    this.option = option;
  }
}
