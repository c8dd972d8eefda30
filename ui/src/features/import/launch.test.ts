import { describe, expect, it } from 'vitest';
import { fileName, offerFile, takeOfferedFile } from './launch';

describe('the file the app was started with', () => {
  it('is taken by the wizard once', () => {
    expect(takeOfferedFile()).toBeNull();
    offerFile('/home/office/Документы/Реестр 2025.xlsx');
    expect(takeOfferedFile()).toBe('/home/office/Документы/Реестр 2025.xlsx');
    // Leaving the wizard and coming back does not open it again.
    expect(takeOfferedFile()).toBeNull();
  });

  it('is named without its folder, on Linux and on Windows', () => {
    expect(fileName('/home/office/Документы/Реестр 2025.xlsx')).toBe('Реестр 2025.xlsx');
    expect(fileName('C:\\Users\\office\\Реестр.csv')).toBe('Реестр.csv');
    expect(fileName('Реестр.ods')).toBe('Реестр.ods');
  });
});
