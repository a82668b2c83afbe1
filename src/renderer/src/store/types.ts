import type { StateCreator } from 'zustand'
import type { SessionSlice } from './session-slice'
import type { PlaybackSlice } from './playback-slice'
import type { SelectionSlice } from './selection-slice'
import type { SettingsSlice } from './settings-slice'

export type LabState = SessionSlice & PlaybackSlice & SelectionSlice & SettingsSlice

export type LabSlice<T> = StateCreator<LabState, [], [], T>
