import { afterAll, describe, expect, it } from '@jest/globals';
import { ActorSystem, Props } from '../../../src/actors';
import { ClusterNotRegisteredError } from '../../../src/cluster';
import { ClusterSingleton, DEFAULT_SINGLETON_SETTINGS, InvalidSingletonOptionError, InvalidSingletonSettingError, resolveSingletonSettings } from '../../../src/tools';
import { Recorder } from './helpers/SingletonSim';

describe('resolveSingletonSettings', () => {
  it('merges overrides over the defaults', () => {
    expect(resolveSingletonSettings({})).toEqual(DEFAULT_SINGLETON_SETTINGS);
    expect(resolveSingletonSettings({ bufferSize: 0, removalMarginMs: 0 })).toEqual({ ...DEFAULT_SINGLETON_SETTINGS, bufferSize: 0, removalMarginMs: 0 });
  });

  it.each([
    [{ bufferSize: -1 }, 'bufferSize', "Singleton setting 'bufferSize' in the singleton settings must be a whole number of messages from 0 to 100000; it was given -1."],
    [{ bufferSize: 1.5 }, 'bufferSize', 'must be a whole number of messages'],
    [{ handOverRetryIntervalMs: 0 }, 'handOverRetryIntervalMs', "'handOverRetryIntervalMs' in the singleton settings must be a whole number of milliseconds from 1 to 600000; it was given 0."],
    [{ identifyIntervalMs: '200' }, 'identifyIntervalMs', 'it was given "200"'],
    [{ removalMarginMs: Number.NaN }, 'removalMarginMs', 'it was given NaN'],
    [{ bufferSzie: 10 }, 'bufferSzie', "Unknown singleton setting 'bufferSzie' in the singleton settings (value 10). Known settings are: bufferSize, handOverRetryIntervalMs, identifyIntervalMs, leaveGraceMs, leaveHandOverTimeoutMs, removalMarginMs."],
    [[1], '(all)', 'must be an object such as { "bufferSize": 100 }; it was given [1].'],
  ])('rejects %j naming the setting', (given, setting, message) => {
    let error: unknown;
    try {
      resolveSingletonSettings(given);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSingletonSettingError);
    expect((error as InvalidSingletonSettingError).setting).toBe(setting);
    expect((error as Error).message).toContain(message);
  });
});

describe('ClusterSingleton.init arguments', () => {
  const system = ActorSystem.create('solo');
  const props = Props.create(() => new Recorder([]));

  afterAll(() => system.abort());

  it.each([
    [{ name: '', props }, 'name', "A singleton needs a name that is a valid actor name (non-empty, no '/' or whitespace, not starting with '$'); it was given \"\"."],
    [{ name: 'a/b', props }, 'name', 'it was given "a/b"'],
    [{ name: 'ok', props: {} }, 'props', "Singleton 'ok' needs props such as Props.of(MyActor); it was given {}."],
    [{ name: 'ok', props, role: [] }, 'role', "The role of singleton 'ok' must be an address or a non-empty array of addresses (the role names in the harness), such as 'b' or ['b', 'c']; it was given []."],
    [{ name: 'ok', props, role: 3 }, 'role', 'it was given 3'],
  ])('rejects %j naming the option', (options, option, message) => {
    const attempt = (): unknown => ClusterSingleton.get(system).init(options as never);
    expect(attempt).toThrow(InvalidSingletonOptionError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidSingletonOptionError).option).toBe(option);
    }
  });

  it('rejects invalid settings with the singleton named, and a system without a cluster', () => {
    expect(() => ClusterSingleton.get(system).init({ name: 'ok', props, settings: { bufferSize: -3 } })).toThrow("Singleton setting 'bufferSize' in the settings of singleton 'ok'");
    expect(() => ClusterSingleton.get(system).init({ name: 'ok', props })).toThrow(ClusterNotRegisteredError);
  });
});
