import { MultinodeError, resolveSettings, type SettingsTable } from '../../src/util';

class WidgetSettingError extends MultinodeError {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super('INVALID_WIDGET_SETTING', message);
  }
}

interface WidgetSettings {
  readonly tickMs: number;
  readonly spare: number;
  readonly mode: 'fast' | 'slow';
  readonly loud: boolean;
}

const table: SettingsTable<WidgetSettings> = {
  kind: 'widget',
  defaults: { tickMs: 100, spare: 0, mode: 'fast', loud: false },
  rules: [
    { key: 'tickMs', min: 1, max: 1000, what: 'a whole number of milliseconds' },
    { key: 'spare', min: 0, max: 5, what: 'a whole number' },
    { key: 'mode', oneOf: ['fast', 'slow'] },
    { key: 'loud', boolean: true },
  ],
  example: '{ "tickMs": 100 }',
  error: (setting, message) => new WidgetSettingError(setting, message),
};

function failure(overrides: unknown, source?: string): WidgetSettingError {
  try {
    resolveSettings(table, overrides, source);
  } catch (error) {
    return error as WidgetSettingError;
  }
  throw new Error('expected the settings to be rejected');
}

describe('resolveSettings', () => {
  it('returns the defaults, frozen, for no overrides', () => {
    for (const none of [undefined, null, {}]) {
      const settings = resolveSettings(table, none);
      expect(settings).toEqual(table.defaults);
      expect(Object.isFrozen(settings)).toBe(true);
    }
  });

  it('merges valid overrides at the ends of each range over the defaults; undefined keeps the default', () => {
    expect(resolveSettings(table, { tickMs: 1000, spare: 0, mode: 'slow', loud: true })).toEqual({ tickMs: 1000, spare: 0, mode: 'slow', loud: true });
    expect(resolveSettings(table, { tickMs: undefined, other: undefined })).toEqual(table.defaults);
  });

  it("throws the table's own error naming the setting, the value and what is allowed", () => {
    const error = failure({ tickMs: 0 }, 'widget options');
    expect(error).toBeInstanceOf(WidgetSettingError);
    expect(error).toMatchObject({ code: 'INVALID_WIDGET_SETTING', setting: 'tickMs' });
    expect(error.message).toBe("Widget setting 'tickMs' in the widget options must be a whole number of milliseconds from 1 to 1000; it was given 0.");
    expect(failure({ spare: 2.5 }).message).toBe("Widget setting 'spare' must be a whole number from 0 to 5; it was given 2.5.");
    expect(failure({ spare: '1' }).message).toBe(`Widget setting 'spare' must be a whole number from 0 to 5; it was given "1".`);
    expect(failure({ mode: 'medium' }).message).toBe(`Widget setting 'mode' must be one of 'fast', 'slow'; it was given "medium".`);
    expect(failure({ loud: 1 }).message).toBe("Widget setting 'loud' must be true or false; it was given 1.");
  });

  it('rejects an unknown setting, listing the known ones', () => {
    expect(failure({ tick: 5 }, 'widget options')).toMatchObject({
      setting: 'tick',
      message: "Unknown widget setting 'tick' in the widget options (value 5). Known settings are: tickMs, spare, mode, loud.",
    });
  });

  it('rejects a value that is not an object, naming the source or else the kind', () => {
    expect(failure('fast')).toMatchObject({ setting: '(all)', message: 'The widget settings must be an object such as { "tickMs": 100 }; it was given "fast".' });
    expect(failure([1], 'widget options').message).toBe('The widget options must be an object such as { "tickMs": 100 }; it was given [1].');
  });
});
