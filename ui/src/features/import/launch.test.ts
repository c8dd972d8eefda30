import { describe, expect, it } from 'vitest';
import { fileName, offerFile, takeOfferedFile, takeOfferedPackage } from './launch';

describe('the file the app was started with', () => {
  it('is taken by the wizard once', () => {
    expect(takeOfferedFile()).toBeNull();
    expect(offerFile('/home/office/Документы/Реестр 2025.xlsx')).toBe('#/import');
    expect(takeOfferedPackage()).toBeNull();
    expect(takeOfferedFile()).toBe('/home/office/Документы/Реестр 2025.xlsx');
    // Leaving the wizard and coming back does not open it again.
    expect(takeOfferedFile()).toBeNull();
  });

  it('goes to «Обмен данными» when it is an exchange package, once', () => {
    expect(offerFile('/media/usb/Берёзовка для района.MESTNO-SYNC')).toBe('#/sync');
    expect(takeOfferedFile()).toBeNull();
    expect(takeOfferedPackage()).toBe('/media/usb/Берёзовка для района.MESTNO-SYNC');
    expect(takeOfferedPackage()).toBeNull();
  });

  it('is named without its folder, on Linux and on Windows', () => {
    expect(fileName('/home/office/Документы/Реестр 2025.xlsx')).toBe('Реестр 2025.xlsx');
    expect(fileName('C:\\Users\\office\\Реестр.csv')).toBe('Реестр.csv');
    expect(fileName('Реестр.ods')).toBe('Реестр.ods');
  });
});
